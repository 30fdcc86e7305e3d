package io.quarkiverse.shigoto.runtime.crypto;

import io.quarkiverse.shigoto.ShigotoException;

/** A value could not be encrypted or decrypted; the message names the key id when there is one. */
public class EncryptionException extends ShigotoException {

    private static final long serialVersionUID = 1L;

    private final String keyId;

    public EncryptionException(String keyId, String message) {
        super(message);
        this.keyId = keyId;
    }

    /** @return the id of the key involved, or {@code null} */
    public String keyId() {
        return keyId;
    }
}
