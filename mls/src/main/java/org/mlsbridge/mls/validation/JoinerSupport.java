package org.mlsbridge.mls.validation;

import org.mlsbridge.mls.FailureReason;
import org.mlsbridge.mls.ValidationException;
import org.mlsbridge.mls.message.Capabilities;
import org.mlsbridge.mls.message.Extension;
import org.mlsbridge.mls.message.GroupContext;
import org.mlsbridge.mls.message.KeyPackage;

/**
 * The adder's side of capability negotiation (RFC 9420 §11, §13.4): before this client creates
 * a group with a member or adds one, the member's KeyPackage must advertise the group's
 * protocol version and cipher suite and every non-default GroupContext extension. These are
 * duties of the member that adds, not rules for the receivers of a Welcome, tree, proposal or
 * commit, which therefore never call this (other implementations legitimately omit the suite
 * from capabilities). Whether to run it is the application's choice
 * ({@code group.ValidationPolicy#checkJoinerCapabilities}, on by default).
 */
public final class JoinerSupport {
    private JoinerSupport() {
    }

    /**
     * @throws ValidationException of reason {@link FailureReason#POLICY} naming what is not
     *     advertised
     */
    public static void check(KeyPackage kp, GroupContext context) throws ValidationException {
        Capabilities caps = kp.leafNode().capabilities();
        if (!caps.versions().contains(context.version())) {
            throw new ValidationException(FailureReason.POLICY, "RFC 9420 §11: the KeyPackage's capabilities do not "
                    + "list the group's protocol version " + context.version());
        }
        if (!caps.cipherSuites().contains(context.cipherSuite().id())) {
            throw new ValidationException(FailureReason.POLICY, "RFC 9420 §11: the KeyPackage's capabilities do not "
                    + "list the group's cipher suite " + context.cipherSuite());
        }
        for (Extension e : context.extensions()) {
            if (!Capability.supportsExtension(caps, e.type())) {
                throw new ValidationException(FailureReason.POLICY, "RFC 9420 §13.4: the KeyPackage's capabilities "
                        + "do not list the group's extension type " + e.type());
            }
        }
    }
}
