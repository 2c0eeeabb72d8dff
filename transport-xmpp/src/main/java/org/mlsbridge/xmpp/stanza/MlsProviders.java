package org.mlsbridge.xmpp.stanza;

import org.jivesoftware.smack.provider.ProviderManager;

/** Registers the providers of mlsbridge's elements with Smack (idempotent). */
public final class MlsProviders {
    private MlsProviders() {
    }

    public static void register() {
        ProviderManager.addExtensionProvider(MlsElement.ELEMENT, MlsNamespace.NAMESPACE, new MlsElementProvider());
        ProviderManager.addExtensionProvider(WelcomeElement.ELEMENT, MlsNamespace.NAMESPACE,
                new WelcomeElementProvider());
        ProviderManager.addExtensionProvider(KeyPackageElement.ELEMENT, MlsNamespace.NAMESPACE,
                new KeyPackageElementProvider());
    }
}
