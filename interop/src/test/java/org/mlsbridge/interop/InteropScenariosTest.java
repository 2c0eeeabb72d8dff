package org.mlsbridge.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.mlsbridge.mls.crypto.CipherSuite;

/**
 * Ours against ours over real gRPC on loopback: two instances of the interop client, driven by
 * our runner through every scenario config in {@code src/test/resources/scenarios} (see its
 * ORIGIN.md), on every cipher suite, with handshakes as PublicMessage and as PrivateMessage
 * (see {@link #handshakeModes}).
 * Actors are spread over the two instances, differently per suite and mode, so every kind of
 * message crosses from one instance to the other.
 */
class InteropScenariosTest {
    private static final List<String> KINDS = List.of("welcome_join", "commit", "application", "external_join",
            "external_proposals", "reinit", "branch", "deep_random");

    private static InteropServer first;
    private static InteropServer second;
    private static HarnessClient toFirst;
    private static HarnessClient toSecond;

    @BeforeAll
    static void start() throws IOException {
        first = InteropServer.start(0);
        second = InteropServer.start(0);
        toFirst = new HarnessClient("127.0.0.1", first.port());
        toSecond = new HarnessClient("127.0.0.1", second.port());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        for (AutoCloseable c : new AutoCloseable[] {toFirst, toSecond, first, second}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    @Test
    void everyScenarioKindIsThere() throws IOException {
        assertThat(configFiles().stream().map(p -> p.getFileName().toString().replace(".json", "")))
                .containsAll(KINDS);
        assertThat(toFirst.name()).isEqualTo(MlsClientService.NAME);
        assertThat(toFirst.suites()).containsExactly(1, 2, 3, 4, 5, 6, 7);
    }

    @TestFactory
    Stream<DynamicNode> scenarios() throws IOException {
        List<DynamicNode> kinds = new ArrayList<>();
        for (Path file : configFiles()) {
            ScenarioConfig config;
            try (InputStream in = Files.newInputStream(file)) {
                config = ScenarioConfig.read(in);
            }
            List<DynamicNode> scripts = new ArrayList<>();
            int scriptIndex = 0;
            for (var script : config.scripts().entrySet()) {
                List<ScenarioConfig.Step> steps = script.getValue();
                List<DynamicNode> runs = new ArrayList<>();
                for (CipherSuite suite : CipherSuite.values()) {
                    for (boolean encrypt : handshakeModes(suite.id(), scriptIndex)) {
                        runs.add(DynamicTest.dynamicTest("suite " + suite.id() + (encrypt ? " private" : " public"),
                                () -> run(steps, suite.id(), encrypt)));
                    }
                }
                scripts.add(DynamicContainer.dynamicContainer(script.getKey(), runs));
                scriptIndex++;
            }
            kinds.add(DynamicContainer.dynamicContainer(file.getFileName().toString(), scripts));
        }
        return kinds.stream();
    }

    /**
     * Suite 1 in both handshake modes; the other suites in one mode each, alternating from
     * script to script, so that every suite meets both modes within each kind while the whole
     * matrix stays within a minute or two (the NIST-curve suites are the slow ones).
     */
    private static boolean[] handshakeModes(int suite, int scriptIndex) {
        if (suite == 1) {
            return new boolean[] {false, true};
        }
        return new boolean[] {(suite + scriptIndex) % 2 == 1};
    }

    private static void run(List<ScenarioConfig.Step> steps, int suite, boolean encrypt) {
        List<String> actors = ScenarioConfig.actors(steps);
        Map<String, HarnessClient> assignment = new LinkedHashMap<>();
        for (int k = 0; k < actors.size(); k++) {
            assignment.put(actors.get(k), (k + suite + (encrypt ? 1 : 0)) % 2 == 0 ? toFirst : toSecond);
        }
        int checks = new ScenarioRun(assignment, suite, encrypt).run(steps);
        if (steps.stream().anyMatch(s -> List.of("fullCommit", "externalJoin", "reinit", "branch")
                .contains(s.action()))) {
            assertThat(checks).as("group-state checks made").isPositive();
        }
    }

    private static List<Path> configFiles() throws IOException {
        try {
            Path dir = Path.of(InteropScenariosTest.class.getResource("/scenarios").toURI());
            try (Stream<Path> files = Files.list(dir)) {
                return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
            }
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
    }
}
