package org.mlsbridge.servers;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void quotesBackslashesAndControlCharactersAreEscaped() {
        assertThat(Json.string("a\"b\\c\n\u0001é")).isEqualTo("\"a\\\"b\\\\c\\u000a\\u0001é\"");
    }
}
