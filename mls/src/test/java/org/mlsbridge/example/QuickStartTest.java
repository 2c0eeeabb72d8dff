package org.mlsbridge.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.mlsbridge.mls.group.MlsClient;
import org.mlsbridge.mls.group.MlsGroup;

/**
 * Keeps docs/mls-api.md true: it opens with {@link QuickStart} verbatim, which runs here, and its
 * reference tables name every public method of {@link MlsGroup} and {@link MlsClient}.
 */
class QuickStartTest {
    private static final Path DOC = Path.of("..", "docs", "mls-api.md");
    private static final Path SOURCE = Path.of("src", "test", "java", "org", "mlsbridge", "example", "QuickStart.java");

    @Test
    void theExampleRuns() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            QuickStart.main(new String[0]);
        } finally {
            System.setOut(original);
        }
        assertThat(out.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "alice says hello Bob",
                "alice active: false",
                "member at leaf 1: bob",
                "member at leaf 2: carol",
                "same epoch secret: true");
    }

    @Test
    void theApiDocOpensWithTheExampleVerbatim() throws IOException {
        String doc = Files.readString(DOC);
        Matcher first = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(doc);
        assertThat(first.find()).as("a java block in %s", DOC).isTrue();
        assertThat(doc.indexOf("```")).as("the example is the first code block").isEqualTo(first.start());
        assertThat(first.group(1)).isEqualTo(Files.readString(SOURCE));
    }

    @Test
    void theReferenceNamesEveryPublicMethodOfTheGroupAndTheClient() throws IOException {
        String doc = Files.readString(DOC);
        for (Class<?> type : List.of(MlsGroup.class, MlsClient.class)) {
            List<String> missing = Arrays.stream(type.getDeclaredMethods())
                    .filter(m -> Modifier.isPublic(m.getModifiers()) && !m.isSynthetic())
                    .map(Method::getName)
                    .filter(name -> !List.of("toString", "equals", "hashCode").contains(name))
                    .distinct()
                    .filter(name -> !doc.contains("`" + name + "(")
                            && !doc.contains("`" + type.getSimpleName() + "." + name + "("))
                    .toList();
            assertThat(missing).as("public methods of %s missing from %s", type.getSimpleName(), DOC).isEmpty();
        }
    }
}
