package io.quarkiverse.shigoto.runtime.store;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

/**
 * JSON text embedded as-is when writing a larger document, so already-written args are not parsed and written again.
 *
 * @param json valid JSON text
 */
record RawJson(String json) {

    static final class Serializer extends StdSerializer<RawJson> {
        private static final long serialVersionUID = 1L;

        Serializer() {
            super(RawJson.class);
        }

        @Override
        public void serialize(RawJson value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeRawValue(value.json());
        }
    }
}
