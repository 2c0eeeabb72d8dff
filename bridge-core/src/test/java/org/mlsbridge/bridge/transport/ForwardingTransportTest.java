package org.mlsbridge.bridge.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mlsbridge.mls.codec.Bytes;

/**
 * A wrapper passes every call of the SPI on, default methods included: a default method it left
 * alone would answer from the wrapper's other calls instead of the connection underneath (a
 * Matrix account's several KeyPackages would shrink to one).
 */
class ForwardingTransportTest {
    @Test
    void everyMethodOfTheSpiIsForwarded() throws Exception {
        List<String> calls = new ArrayList<>();
        Transport inner = (Transport) Proxy.newProxyInstance(Transport.class.getClassLoader(),
                new Class<?>[] {Transport.class}, (proxy, method, args) -> {
                    calls.add(method.getName());
                    return answer(method.getReturnType());
                });
        Transport wrapper = new ForwardingTransport(inner) {
        };
        List<String> expected = new ArrayList<>();
        for (Method m : Transport.class.getMethods()) {
            if (Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            calls.clear();
            m.invoke(wrapper, Arrays.stream(m.getParameterTypes()).map(ForwardingTransportTest::answer).toArray());
            assertThat(calls).as(m.getName()).containsExactly(m.getName());
            expected.add(m.getName());
        }
        assertThat(expected).contains("claimKeyPackages", "poll", "close");
    }

    /** A harmless value of each type the SPI takes or returns. */
    private static Object answer(Class<?> type) {
        if (type == int.class) {
            return 0;
        }
        if (type == boolean.class) {
            return false;
        }
        if (type == Optional.class) {
            return Optional.empty();
        }
        if (type == List.class) {
            return List.of();
        }
        if (type == Set.class) {
            return Set.of();
        }
        if (type == Duration.class) {
            return Duration.ZERO;
        }
        if (type == UserId.class) {
            return UserId.xmpp("alice@example.org");
        }
        if (type == RoomId.class) {
            return new RoomId("room@muc.example.org");
        }
        if (type == ClientMessageId.class) {
            return new ClientMessageId("m1");
        }
        if (type == ServerId.class) {
            return new ServerId("s1");
        }
        if (type == Bytes.class) {
            return Bytes.wrap(new byte[] {1});
        }
        return null;
    }
}
