package org.mlsbridge.vectors;

import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.mlsbridge.vectors.tree.TreeKemChecker;

class TreeKemVectorsTest {
    @TestFactory
    Stream<DynamicTest> cases() {
        return VectorTests.cases("treekem.json", new TreeKemChecker());
    }
}
