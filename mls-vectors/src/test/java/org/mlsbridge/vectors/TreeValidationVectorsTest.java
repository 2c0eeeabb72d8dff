package org.mlsbridge.vectors;

import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.mlsbridge.vectors.tree.TreeValidationChecker;

class TreeValidationVectorsTest {
    @TestFactory
    Stream<DynamicTest> cases() {
        return VectorTests.cases("tree-validation.json", new TreeValidationChecker());
    }
}
