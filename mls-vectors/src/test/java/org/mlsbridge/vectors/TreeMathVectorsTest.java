package org.mlsbridge.vectors;

import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.mlsbridge.vectors.tree.TreeMathChecker;

class TreeMathVectorsTest {
    @TestFactory
    Stream<DynamicTest> treeMath() {
        return VectorTests.cases("tree-math.json", new TreeMathChecker());
    }
}
