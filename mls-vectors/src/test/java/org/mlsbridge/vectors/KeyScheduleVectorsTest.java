package org.mlsbridge.vectors;

import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.mlsbridge.vectors.schedule.KeyScheduleChecker;

class KeyScheduleVectorsTest {
    @TestFactory
    Stream<DynamicTest> keySchedule() {
        return VectorTests.cases("key-schedule.json", new KeyScheduleChecker());
    }
}
