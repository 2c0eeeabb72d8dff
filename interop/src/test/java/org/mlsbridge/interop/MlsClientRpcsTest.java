package org.mlsbridge.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mlsbridge.interop.proto.MlsClientProto;
import org.mlsbridge.interop.rpc.MlsClientRpcs;
import org.mlsbridge.interop.rpc.Rpc;

/** The hand-bound method table is exactly the service of mls_client.proto, and every method is served. */
class MlsClientRpcsTest {
    private static final Descriptors.ServiceDescriptor SERVICE =
            MlsClientProto.getDescriptor().findServiceByName("MLSClient");

    @Test
    void tableMatchesTheProtoService() {
        assertThat(MlsClientProto.getDescriptor().getPackage()).isEqualTo("mls_client");
        assertThat(SERVICE.getFullName()).isEqualTo(MlsClientRpcs.SERVICE);
        List<Descriptors.MethodDescriptor> methods = SERVICE.getMethods();
        assertThat(MlsClientRpcs.ALL).hasSameSizeAs(methods);
        for (int i = 0; i < methods.size(); i++) {
            Descriptors.MethodDescriptor m = methods.get(i);
            Rpc<?, ?> rpc = MlsClientRpcs.ALL.get(i);
            assertThat(rpc.name()).isEqualTo(m.getName());
            assertThat(rpc.request().getDescriptorForType()).isEqualTo(m.getInputType());
            assertThat(rpc.response().getDescriptorForType()).isEqualTo(m.getOutputType());
            assertThat(m.isClientStreaming() || m.isServerStreaming()).isFalse();
        }
    }

    @Test
    void everyMethodIsBound() {
        ServerServiceDefinition def = new MlsClientService().definition();
        assertThat(def.getServiceDescriptor().getName()).isEqualTo(MlsClientRpcs.SERVICE);
        assertThat(def.getMethods().stream().map(ServerMethodDefinition::getMethodDescriptor)
                .map(d -> d.getBareMethodName()).toList())
                .containsExactlyInAnyOrderElementsOf(SERVICE.getMethods().stream()
                        .map(Descriptors.MethodDescriptor::getName).toList());
    }

    @Test
    void publishedFieldNumbersAreKept() {
        // A few fields whose numbers the working group's runner depends on, spot-checked by name.
        assertThat(field("CreateKeyPackageResponse", "signature_priv").getNumber()).isEqualTo(5);
        assertThat(field("ExternalJoinRequest", "psks").getNumber()).isEqualTo(6);
        assertThat(field("ProposalDescription", "cipher_suite").getNumber()).isEqualTo(8);
        assertThat(field("ResumptionPSKProposalRequest", "epoch_id").getType())
                .isEqualTo(Descriptors.FieldDescriptor.Type.UINT64);
        assertThat(field("ExternalSignerProposalRequest", "description").getMessageType().getName())
                .isEqualTo("ProposalDescription");
    }

    private static Descriptors.FieldDescriptor field(String message, String name) {
        return MlsClientProto.getDescriptor().findMessageTypeByName(message).findFieldByName(name);
    }
}
