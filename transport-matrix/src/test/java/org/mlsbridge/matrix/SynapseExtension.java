package org.mlsbridge.matrix;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests one Synapse shared by the whole test run (started on first use, stopped when the
 * run ends). Tests that restart their server start their own with {@link SynapseServer#start}.
 */
final class SynapseExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(SynapseExtension.class);

    private record Shared(SynapseServer server) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() throws Throwable {
            server.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
        return p.getParameter().getType() == SynapseServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext c) {
        return c.getRoot().getStore(NS).getOrComputeIfAbsent("synapse", k -> {
            try {
                return new Shared(SynapseServer.start());
            } catch (Exception e) {
                throw new IllegalStateException("cannot start Synapse: " + e.getMessage(), e);
            }
        }, Shared.class).server();
    }
}
