package org.mlsbridge.vectors;

import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.mlsbridge.vectors.crypto.CryptoBasicsChecker;

class CryptoBasicsVectorsTest {
    @TestFactory
    Stream<DynamicTest> cryptoBasics() {
        return VectorTests.cases("crypto-basics.json", new CryptoBasicsChecker());
    }
}
