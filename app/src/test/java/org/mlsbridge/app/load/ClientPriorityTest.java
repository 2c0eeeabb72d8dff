package org.mlsbridge.app.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The load run's yielding to the servers, in a child JVM (renicing this one would also lower every
 * server a later test starts from it).
 */
@EnabledOnOs(OS.LINUX)
class ClientPriorityTest {
    /** The child: yields, then reports the outcome and whether old and new threads run at the lower priority. */
    public static void main(String[] args) throws Exception {
        AtomicBoolean before = new AtomicBoolean();
        Thread old = Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(1_000); // started before the renice, checked after it
            } catch (InterruptedException e) {
                return;
            }
            before.set(ClientPriority.lowered());
        });
        String how = ClientPriority.yieldToServers();
        AtomicBoolean later = new AtomicBoolean();
        Thread fresh = Thread.ofPlatform().start(() -> later.set(ClientPriority.lowered()));
        fresh.join();
        old.join();
        System.out.println(how + "|" + ClientPriority.lowered() + "|" + before.get() + "|" + later.get());
    }

    @Test
    void everyThreadOldAndNewRunsBehindTheServers() throws Exception {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", cp, ClientPriorityTest.class.getName())
                .redirectErrorStream(true).start();
        try {
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child finished").isTrue();
            List<String> out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                    .lines().toList();
            assertThat(out).as("child output").last().isEqualTo("at nice 10, behind the servers|true|true|true");
            assertThat(child.exitValue()).isZero();
        } finally {
            child.destroyForcibly();
        }
    }
}
