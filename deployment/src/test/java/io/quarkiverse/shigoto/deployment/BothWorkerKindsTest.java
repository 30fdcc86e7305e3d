package io.quarkiverse.shigoto.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.objectweb.asm.Opcodes.ACC_PUBLIC;
import static org.objectweb.asm.Opcodes.ACC_SUPER;
import static org.objectweb.asm.Opcodes.ACONST_NULL;
import static org.objectweb.asm.Opcodes.ALOAD;
import static org.objectweb.asm.Opcodes.ARETURN;
import static org.objectweb.asm.Opcodes.INVOKESPECIAL;
import static org.objectweb.asm.Opcodes.RETURN;
import static org.objectweb.asm.Opcodes.V17;

import java.util.Map;

import org.jboss.shrinkwrap.api.asset.ByteArrayAsset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;

import io.quarkiverse.shigoto.Job;
import io.quarkiverse.shigoto.JobResult;
import io.quarkiverse.shigoto.ReactiveWorker;
import io.quarkiverse.shigoto.Worker;
import io.quarkus.test.QuarkusUnitTest;
import io.smallrye.mutiny.Uni;

/**
 * A {@code @Job} class that is both a {@link Worker} and a {@link ReactiveWorker} fails the build.
 * <p>
 * javac cannot compile such a class (the two {@code perform} methods differ only in their return type), but the JVM
 * and the index accept one, so the test writes its bytecode.
 */
class BothWorkerKindsTest {

    private static final String CLASS_NAME = "io.quarkiverse.shigoto.deployment.TwoFacedWorker";

    @RegisterExtension
    static final QuarkusUnitTest config = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar
                    .add(new ByteArrayAsset(twoFacedWorker()), CLASS_NAME.replace('.', '/') + ".class"))
            .overrideConfigKey("quarkus.datasource.db-kind", "postgresql")
            .overrideConfigKey("quarkus.datasource.devservices.enabled", "false")
            .assertException(t -> assertThat(WorkerProblems.of(t)).containsExactly(
                    CLASS_NAME + ": a @Job class must implement either Worker or ReactiveWorker, not both"));

    @Test
    void aWorkerThatIsAlsoAReactiveWorkerFailsTheBuild() {
        fail("the build must fail");
    }

    /** {@code @Job public class TwoFacedWorker implements Worker, ReactiveWorker}, both performs answering null. */
    private static byte[] twoFacedWorker() {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(V17, ACC_PUBLIC | ACC_SUPER, CLASS_NAME.replace('.', '/'), null, "java/lang/Object",
                new String[] { Type.getInternalName(Worker.class), Type.getInternalName(ReactiveWorker.class) });
        cw.visitAnnotation(Type.getDescriptor(Job.class), true).visitEnd();
        MethodVisitor init = cw.visitMethod(ACC_PUBLIC, "<init>", "()V", null, null);
        init.visitCode();
        init.visitVarInsn(ALOAD, 0);
        init.visitMethodInsn(INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        init.visitInsn(RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();
        for (Class<?> result : new Class<?>[] { JobResult.class, Uni.class }) {
            MethodVisitor perform = cw.visitMethod(ACC_PUBLIC, "perform",
                    Type.getMethodDescriptor(Type.getType(result), Type.getType(Map.class)), null, null);
            perform.visitCode();
            perform.visitInsn(ACONST_NULL);
            perform.visitInsn(ARETURN);
            perform.visitMaxs(0, 0);
            perform.visitEnd();
        }
        cw.visitEnd();
        return cw.toByteArray();
    }
}
