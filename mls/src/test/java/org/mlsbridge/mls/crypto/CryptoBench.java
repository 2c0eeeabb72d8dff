package org.mlsbridge.mls.crypto;

import java.util.Arrays;

/**
 * A one-off measurement, not a test: medians of Ed25519 sign/verify and suite-1 HPKE seal/open.
 * Run with the test classpath: {@code java -cp ... org.mlsbridge.mls.crypto.CryptoBench}.
 */
public final class CryptoBench {
    private CryptoBench() {
    }

    interface Op {
        void run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        SuiteCrypto c = CryptoProvider.defaultProvider().suite(CipherSuite.MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519);
        byte[] msg = new byte[256];
        byte[] info = new byte[64];
        byte[] aad = new byte[0];
        SignatureKeyPair skp = c.generateSignatureKeyPair();
        HpkeKeyPair hkp = c.generateHpkeKeyPair();
        byte[] sig = c.sign(skp.privateKey(), msg);
        HpkeCiphertext ct = c.hpkeSeal(hkp.publicKey(), info, aad, msg);
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        report("Ed25519 sign (256 B)", rounds, () -> c.sign(skp.privateKey(), msg));
        report("Ed25519 verify (256 B)", rounds, () -> {
            if (!c.verify(skp.publicKey(), msg, sig)) {
                throw new AssertionError();
            }
        });
        report("HPKE suite 1 seal (256 B)", rounds, () -> c.hpkeSeal(hkp.publicKey(), info, aad, msg));
        report("HPKE suite 1 open (256 B)", rounds, () -> c.hpkeOpen(hkp.privateKey(), ct, info, aad));
        if (args.length > 1) {
            for (CipherSuite s : CipherSuite.values()) {
                SuiteCrypto sc = CryptoProvider.defaultProvider().suite(s);
                SignatureKeyPair k = sc.generateSignatureKeyPair();
                byte[] sg = sc.sign(k.privateKey(), msg);
                HpkeKeyPair h = sc.generateHpkeKeyPair();
                HpkeCiphertext hc = sc.hpkeSeal(h.publicKey(), info, aad, msg);
                report(s + " sign", rounds / 5, () -> sc.sign(k.privateKey(), msg));
                report(s + " verify", rounds / 5, () -> sc.verify(k.publicKey(), msg, sg));
                report(s + " seal", rounds / 5, () -> sc.hpkeSeal(h.publicKey(), info, aad, msg));
                report(s + " open", rounds / 5, () -> sc.hpkeOpen(h.privateKey(), hc, info, aad));
            }
        }
    }

    private static void report(String name, int rounds, Op op) throws Exception {
        for (int i = 0; i < rounds; i++) {
            op.run(); // warm-up: JIT and BC's lazily built tables
        }
        long[] t = new long[rounds];
        for (int i = 0; i < rounds; i++) {
            long start = System.nanoTime();
            op.run();
            t[i] = System.nanoTime() - start;
        }
        Arrays.sort(t);
        System.out.printf("%-60s median %7.1f us   p10 %7.1f   p90 %7.1f%n", name, t[rounds / 2] / 1e3,
                t[rounds / 10] / 1e3, t[rounds * 9 / 10] / 1e3);
    }
}
