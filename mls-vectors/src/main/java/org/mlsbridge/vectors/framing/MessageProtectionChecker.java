package org.mlsbridge.vectors.framing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;
import org.mlsbridge.mls.ValidationException;
import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.codec.TlsReader;
import org.mlsbridge.mls.codec.TlsWriter;
import org.mlsbridge.mls.crypto.CryptoProvider;
import org.mlsbridge.mls.crypto.Secret;
import org.mlsbridge.mls.crypto.SuiteCrypto;
import org.mlsbridge.mls.framing.ContentSignatures;
import org.mlsbridge.mls.framing.PaddingPolicy;
import org.mlsbridge.mls.framing.PrivateMessageProtection;
import org.mlsbridge.mls.framing.PublicMessageProtection;
import org.mlsbridge.mls.framing.SignatureKeyLookup;
import org.mlsbridge.mls.message.AuthenticatedContent;
import org.mlsbridge.mls.message.Commit;
import org.mlsbridge.mls.message.Content;
import org.mlsbridge.mls.message.FramedContent;
import org.mlsbridge.mls.message.FramedContentAuthData;
import org.mlsbridge.mls.message.GroupContext;
import org.mlsbridge.mls.message.MlsMessage;
import org.mlsbridge.mls.message.MlsMessageBody;
import org.mlsbridge.mls.message.PrivateMessage;
import org.mlsbridge.mls.message.Proposal;
import org.mlsbridge.mls.message.PublicMessage;
import org.mlsbridge.mls.message.Sender;
import org.mlsbridge.mls.message.WireFormat;
import org.mlsbridge.mls.secrets.SecretTree;
import org.mlsbridge.mls.tree.LeafIndex;
import org.mlsbridge.vectors.Check;
import org.mlsbridge.vectors.Json;
import org.mlsbridge.vectors.VectorChecker;
import org.mlsbridge.vectors.VectorMismatch;

/**
 * message-protection.json: the given proposal, commit and application data are unprotected from
 * the PublicMessage (not for application data, which must be refused) and PrivateMessage forms;
 * then each is protected by us and unprotected again. The group has two members; leaf 1 sends.
 */
public final class MessageProtectionChecker implements VectorChecker {
    private static final LeafIndex SENDER = LeafIndex.of(1);
    private static final int LEAVES = 2;

    @Override
    public String kind() {
        return "message-protection";
    }

    @Override
    public boolean recognizes(JsonNode c) {
        return Json.has(c, "membership_key", "sender_data_secret", "proposal_priv", "application_priv");
    }

    @Override
    public void check(JsonNode c) throws Exception {
        new Case(c).run();
    }

    private static final class Case {
        final SuiteCrypto crypto;
        final GroupContext context;
        final Secret signaturePriv;
        final Bytes signaturePub;
        final Secret encryptionSecret;
        final Secret senderDataSecret;
        final Optional<Secret> membershipKey;
        final JsonNode c;
        final PublicMessageProtection publicProtection;
        final PrivateMessageProtection privateProtection;
        final SignatureKeyLookup keys;

        Case(JsonNode c) {
            this.c = c;
            crypto = CryptoProvider.defaultProvider().suite(Json.suite(c));
            context = new GroupContext(GroupContext.MLS10, crypto.suite(), Json.bytes(c, "group_id"),
                    Json.number(c, "epoch"), Json.bytes(c, "tree_hash"), Json.bytes(c, "confirmed_transcript_hash"),
                    List.of());
            signaturePriv = Secret.wrap(Json.hex(c, "signature_priv"));
            signaturePub = Json.bytes(c, "signature_pub");
            encryptionSecret = Secret.wrap(Json.hex(c, "encryption_secret"));
            senderDataSecret = Secret.wrap(Json.hex(c, "sender_data_secret"));
            membershipKey = Optional.of(Secret.wrap(Json.hex(c, "membership_key")));
            publicProtection = new PublicMessageProtection(crypto);
            privateProtection = new PrivateMessageProtection(crypto, PaddingPolicy.toMultipleOf(32));
            keys = content -> content.sender().equals(new Sender.Member(SENDER)) ? Optional.of(signaturePub)
                    : Optional.empty();
        }

        void run() throws Exception {
            Proposal proposal = TlsReader.decode(Json.hex(c, "proposal"), Proposal::readFrom);
            Commit commit = TlsReader.decode(Json.hex(c, "commit"), Commit::readFrom);
            Content.Application application = new Content.Application(Json.bytes(c, "application"));

            checkHandshake("proposal", new Content.ProposalContent(proposal));
            checkHandshake("commit", new Content.CommitContent(commit));

            AuthenticatedContent received = unprotectPrivate("application_priv");
            Check.equal("application from application_priv", application, received.content().content());
            roundTripPrivate("application", application, received.content().authenticatedData(), Optional.empty());
            refuseApplicationAsPublic(application, received.content().authenticatedData());
        }

        private void checkHandshake(String name, Content expected) throws Exception {
            PublicMessage pub = decode(name + "_pub", PublicMessage.class);
            AuthenticatedContent fromPublic = publicProtection.unprotect(pub, context, membershipKey, keys);
            checkContent(name + " from " + name + "_pub", expected, fromPublic.content().content());
            Check.equal(name + "_pub sender", new Sender.Member(SENDER), fromPublic.content().sender());

            AuthenticatedContent fromPrivate = unprotectPrivate(name + "_priv");
            checkContent(name + " from " + name + "_priv", expected, fromPrivate.content().content());

            Optional<Bytes> tag = fromPublic.auth().confirmationTag();
            roundTripPublic(name, expected, fromPublic.content().authenticatedData(), tag);
            roundTripPrivate(name, expected, fromPrivate.content().authenticatedData(),
                    fromPrivate.auth().confirmationTag());
        }

        private AuthenticatedContent unprotectPrivate(String field) throws Exception {
            PrivateMessage priv = decode(field, PrivateMessage.class);
            SecretTree tree = new SecretTree(crypto, encryptionSecret, LEAVES);
            try {
                AuthenticatedContent ac = privateProtection.unprotect(priv, context, tree, senderDataSecret, keys);
                Check.equal(field + " sender", new Sender.Member(SENDER), ac.content().sender());
                Check.equal(field + " wire format", WireFormat.PRIVATE_MESSAGE, ac.wireFormat());
                return ac;
            } finally {
                tree.destroy();
            }
        }

        private void roundTripPublic(String name, Content content, Bytes authenticatedData, Optional<Bytes> tag)
                throws Exception {
            AuthenticatedContent signed = sign(WireFormat.PUBLIC_MESSAGE, content, authenticatedData, tag);
            PublicMessage pub = publicProtection.protect(signed, context, membershipKey);
            PublicMessage reparsed = reencode(pub, PublicMessage.class);
            AuthenticatedContent back = publicProtection.unprotect(reparsed, context, membershipKey, keys);
            checkContent(name + " after our PublicMessage round trip", content, back.content().content());
            Check.equal(name + " confirmation tag after PublicMessage round trip", tag, back.auth().confirmationTag());
        }

        private void roundTripPrivate(String name, Content content, Bytes authenticatedData, Optional<Bytes> tag)
                throws Exception {
            AuthenticatedContent signed = sign(WireFormat.PRIVATE_MESSAGE, content, authenticatedData, tag);
            SecretTree senderTree = new SecretTree(crypto, encryptionSecret, LEAVES);
            SecretTree receiverTree = new SecretTree(crypto, encryptionSecret, LEAVES);
            try {
                PrivateMessage priv = privateProtection.protect(signed, context, senderTree, senderDataSecret);
                PrivateMessage reparsed = reencode(priv, PrivateMessage.class);
                AuthenticatedContent back = privateProtection.unprotect(reparsed, context, receiverTree,
                        senderDataSecret, keys);
                checkContent(name + " after our PrivateMessage round trip", content, back.content().content());
                Check.equal(name + " authenticated data after PrivateMessage round trip", authenticatedData,
                        back.content().authenticatedData());
                Check.equal(name + " confirmation tag after PrivateMessage round trip", tag,
                        back.auth().confirmationTag());
            } finally {
                senderTree.destroy();
                receiverTree.destroy();
            }
        }

        /** Application data as PublicMessage: we refuse to build one, and refuse one built by hand. */
        private void refuseApplicationAsPublic(Content.Application application, Bytes authenticatedData)
                throws Exception {
            AuthenticatedContent signed = sign(WireFormat.PUBLIC_MESSAGE, application, authenticatedData,
                    Optional.empty());
            try {
                publicProtection.protect(signed, context, membershipKey);
                throw new VectorMismatch("application data was protected as PublicMessage");
            } catch (IllegalArgumentException expected) {
                // refused, as it must be
            }
            PublicMessage forged = new PublicMessage(signed.content(), signed.auth(), Optional.of(Bytes.EMPTY));
            try {
                publicProtection.unprotect(forged, context, membershipKey, keys);
                throw new VectorMismatch("application data was accepted as PublicMessage");
            } catch (ValidationException expected) {
                // refused, as it must be
            }
        }

        private AuthenticatedContent sign(WireFormat wireFormat, Content content, Bytes authenticatedData,
                Optional<Bytes> tag) throws Exception {
            FramedContent fc = new FramedContent(context.groupId(), context.epoch(), new Sender.Member(SENDER),
                    authenticatedData, content);
            Bytes signature = ContentSignatures.sign(crypto, signaturePriv, wireFormat, fc, context);
            return new AuthenticatedContent(wireFormat, fc, new FramedContentAuthData(signature, tag));
        }

        private <T> T decode(String field, Class<T> type) throws Exception {
            MlsMessage m = MlsMessage.decode(Json.bytes(c, field));
            if (!type.isInstance(m.body())) {
                throw new VectorMismatch(field + " is a " + m.wireFormat() + ", expected " + type.getSimpleName());
            }
            return type.cast(m.body());
        }

        private static <T extends MlsMessageBody> T reencode(T body, Class<T> type) throws Exception {
            MlsMessage m = MlsMessage.decode(MlsMessage.of(body).encode());
            return type.cast(m.body());
        }

        /** Compares contents by their encoding, which is what the vector pins down. */
        private static void checkContent(String what, Content expected, Content actual) {
            Check.equal(what + " content type", expected.contentType(), actual.contentType());
            Check.bytes(what, body(expected), body(actual));
        }

        private static byte[] body(Content content) {
            TlsWriter w = new TlsWriter();
            content.writeBody(w);
            return w.toByteArray();
        }
    }
}
