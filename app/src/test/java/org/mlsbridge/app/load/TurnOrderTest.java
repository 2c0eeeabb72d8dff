package org.mlsbridge.app.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TurnOrderTest {
    @Test
    void aSeedGivesTheSameOrderEveryTime() {
        TurnOrder order = new TurnOrder(42);
        assertThat(order.mlsFirst(20)).isEqualTo(new TurnOrder(42).mlsFirst(20));
        assertThat(order.letters(20)).isEqualTo(new TurnOrder(42).letters(20)).hasSize(40).matches("(MP|PM){20}");
    }

    @Test
    void theLettersSpellTheDrawnOrder() {
        TurnOrder order = new TurnOrder(7);
        boolean[] first = order.mlsFirst(10);
        String letters = order.letters(10);
        for (int i = 0; i < first.length; i++) {
            assertThat(letters.substring(2 * i, 2 * i + 2)).isEqualTo(first[i] ? "MP" : "PM");
        }
    }

    @Test
    void aLongerRunStartsWithTheShorterRunsOrder() {
        TurnOrder order = new TurnOrder(-3);
        assertThat(order.letters(20)).startsWith(order.letters(12));
    }

    @Test
    void ordersAreNotAFixedPattern() {
        // the point is that no pattern repeats: over many seeds, every order of 4 pairs turns up,
        // and in one long order both phases go first about as often
        Set<String> seen = new HashSet<>();
        for (long seed = 0; seed < 400; seed++) {
            seen.add(new TurnOrder(seed).letters(4));
        }
        assertThat(seen).hasSize(16);
        boolean[] first = new TurnOrder(2026).mlsFirst(10_000);
        int mls = 0;
        for (boolean b : first) {
            mls += b ? 1 : 0;
        }
        assertThat(mls).isBetween(4_700, 5_300);
    }

    @Test
    void freshSeedsDiffer() {
        assertThat(TurnOrder.random().seed()).isNotEqualTo(TurnOrder.random().seed());
    }
}
