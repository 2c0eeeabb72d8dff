package org.mlsbridge.vectors;

import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.mlsbridge.vectors.secrets.SecretTreeChecker;

class SecretTreeVectorsTest {
    @TestFactory
    Stream<DynamicTest> secretTree() {
        return VectorTests.cases("secret-tree.json", new SecretTreeChecker());
    }
}
