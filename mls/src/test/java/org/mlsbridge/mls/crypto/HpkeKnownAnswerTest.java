package org.mlsbridge.mls.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.mlsbridge.mls.codec.Bytes;

/**
 * Known answers for HPKE base mode from RFC 9180 Appendix A (A.1.1, A.2.1, A.3.1, A.4.1, A.6.1),
 * and for DeriveKeyPair on every MLS suite from the external_pub values of the MLS key-schedule
 * test vectors (external_pub = DeriveKeyPair(external_secret).public).
 */
class HpkeKnownAnswerTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] INFO = hex("4f6465206f6e2061204772656369616e2055726e");
    private static final byte[] PT = hex("4265617574792069732074727574682c20747275746820626561757479");
    private static final byte[] AAD0 = hex("436f756e742d30");
    private static final List<byte[]> EXPORT_CONTEXTS = List.of(new byte[0], hex("00"), hex("54657374436f6e74657874"));

    record Rfc9180(String name, KemId kem, KdfId kdf, AeadId aead, String ikmE, String pkEm, String skEm,
            String ikmR, String pkRm, String skRm, String sharedSecret, String ct0, List<String> exports) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Rfc9180> rfc9180() {
        return Stream.of(
                new Rfc9180("A.1.1 X25519 SHA256 AES128GCM", KemId.DHKEM_X25519_HKDF_SHA256, KdfId.HKDF_SHA256,
                        AeadId.AES_128_GCM,
                        "7268600d403fce431561aef583ee1613527cff655c1343f29812e66706df3234",
                        "37fda3567bdbd628e88668c3c8d7e97d1d1253b6d4ea6d44c150f741f1bf4431",
                        "52c4a758a802cd8b936eceea314432798d5baf2d7e9235dc084ab1b9cfa2f736",
                        "6db9df30aa07dd42ee5e8181afdb977e538f5e1fec8a06223f33f7013e525037",
                        "3948cfe0ad1ddb695d780e59077195da6c56506b027329794ab02bca80815c4d",
                        "4612c550263fc8ad58375df3f557aac531d26850903e55a9f23f21d8534e8ac8",
                        "fe0e18c9f024ce43799ae393c7e8fe8fce9d218875e8227b0187c04e7d2ea1fc",
                        "f938558b5d72f1a23810b4be2ab4f84331acc02fc97babc53a52ae8218a355a9"
                                + "6d8770ac83d07bea87e13c512a",
                        List.of("3853fe2b4035195a573ffc53856e77058e15d9ea064de3e59f4961d0095250ee",
                                "2e8f0b54673c7029649d4eb9d5e33bf1872cf76d623ff164ac185da9e88c21a5",
                                "e9e43065102c3836401bed8c3c3c75ae46be1639869391d62c61f1ec7af54931")),
                new Rfc9180("A.2.1 X25519 SHA256 ChaCha20Poly1305", KemId.DHKEM_X25519_HKDF_SHA256,
                        KdfId.HKDF_SHA256, AeadId.CHACHA20_POLY1305,
                        "909a9b35d3dc4713a5e72a4da274b55d3d3821a37e5d099e74a647db583a904b",
                        "1afa08d3dec047a643885163f1180476fa7ddb54c6a8029ea33f95796bf2ac4a",
                        "f4ec9b33b792c372c1d2c2063507b684ef925b8c75a42dbcbf57d63ccd381600",
                        "1ac01f181fdf9f352797655161c58b75c656a6cc2716dcb66372da835542e1df",
                        "4310ee97d88cc1f088a5576c77ab0cf5c3ac797f3d95139c6c84b5429c59662a",
                        "8057991eef8f1f1af18f4a9491d16a1ce333f695d4db8e38da75975c4478e0fb",
                        "0bbe78490412b4bbea4812666f7916932b828bba79942424abb65244930d69a7",
                        "1c5250d8034ec2b784ba2cfd69dbdb8af406cfe3ff938e131f0def8c8b60b4db"
                                + "21993c62ce81883d2dd1b51a28",
                        List.of("4bbd6243b8bb54cec311fac9df81841b6fd61f56538a775e7c80a9f40160606e",
                                "8c1df14732580e5501b00f82b10a1647b40713191b7c1240ac80e2b68808ba69",
                                "5acb09211139c43b3090489a9da433e8a30ee7188ba8b0a9a1ccf0c229283e53")),
                new Rfc9180("A.3.1 P-256 SHA256 AES128GCM", KemId.DHKEM_P256_HKDF_SHA256, KdfId.HKDF_SHA256,
                        AeadId.AES_128_GCM,
                        "4270e54ffd08d79d5928020af4686d8f6b7d35dbe470265f1f5aa22816ce860e",
                        "04a92719c6195d5085104f469a8b9814d5838ff72b60501e2c4466e5e67b32"
                                + "5ac98536d7b61a1af4b78e5b7f951c0900be863c403ce65c9bfcb9382657222d18c4",
                        "4995788ef4b9d6132b249ce59a77281493eb39af373d236a1fe415cb0c2d7beb",
                        "668b37171f1072f3cf12ea8a236a45df23fc13b82af3609ad1e354f6ef817550",
                        "04fe8c19ce0905191ebc298a9245792531f26f0cece2460639e8bc39cb7f70"
                                + "6a826a779b4cf969b8a0e539c7f62fb3d30ad6aa8f80e30f1d128aafd68a2ce72ea0",
                        "f3ce7fdae57e1a310d87f1ebbde6f328be0a99cdbcadf4d6589cf29de4b8ffd2",
                        "c0d26aeab536609a572b07695d933b589dcf363ff9d93c93adea537aeabb8cb8",
                        "5ad590bb8baa577f8619db35a36311226a896e7342a6d836d8b7bcd2f20b6c7f"
                                + "9076ac232e3ab2523f39513434",
                        List.of("5e9bc3d236e1911d95e65b576a8a86d478fb827e8bdfe77b741b289890490d4d",
                                "6cff87658931bda83dc857e6353efe4987a201b849658d9b047aab4cf216e796",
                                "d8f1ea7942adbba7412c6d431c62d01371ea476b823eb697e1f6e6cae1dab85a")),
                // The KEM's KDF (SHA-256) differs from the HPKE KDF (SHA-512) here.
                new Rfc9180("A.4.1 P-256 SHA512 AES128GCM", KemId.DHKEM_P256_HKDF_SHA256, KdfId.HKDF_SHA512,
                        AeadId.AES_128_GCM,
                        "4ab11a9dd78c39668f7038f921ffc0993b368171d3ddde8031501ee1e08c4c9a",
                        "0493ed86735bdfb978cc055c98b45695ad7ce61ce748f4dd63c525a3b8d53a"
                                + "15565c6897888070070c1579db1f86aaa56deb8297e64db7e8924e72866f9a472580",
                        "2292bf14bb6e15b8c81a0f45b7a6e93e32d830e48cca702e0affcfb4d07e1b5c",
                        "ea9ff7cc5b2705b188841c7ace169290ff312a9cb31467784ca92d7a2e6e1be8",
                        "04085aa5b665dc3826f9650ccbcc471be268c8ada866422f739e2d531d4a88"
                                + "18a9466bc6b449357096232919ec4fe9070ccbac4aac30f4a1a53efcf7af90610edd",
                        "3ac8530ad1b01885960fab38cf3cdc4f7aef121eaa239f222623614b4079fb38",
                        "02f584736390fc93f5b4ad039826a3fa08e9911bd1215a3db8e8791ba533cafd",
                        "d3cf4984931484a080f74c1bb2a6782700dc1fef9abe8442e44a6f09044c8890"
                                + "7200b332003543754eb51917ba",
                        List.of("a32186b8946f61aeead1c093fe614945f85833b165b28c46bf271abf16b57208",
                                "84998b304a0ea2f11809398755f0abd5f9d2c141d1822def79dd15c194803c2a",
                                "93fb9411430b2cfa2cf0bed448c46922a5be9beff20e2e621df7e4655852edbc")),
                new Rfc9180("A.6.1 P-521 SHA512 AES256GCM", KemId.DHKEM_P521_HKDF_SHA512, KdfId.HKDF_SHA512,
                        AeadId.AES_256_GCM,
                        "7f06ab8215105fc46aceeb2e3dc5028b44364f960426eb0d8e4026c2f8b5d7"
                                + "e7a986688f1591abf5ab753c357a5d6f0440414b4ed4ede71317772ac98d9239f70904",
                        "040138b385ca16bb0d5fa0c0665fbbd7e69e3ee29f63991d3e9b5fa740aab8"
                                + "900aaeed46ed73a49055758425a0ce36507c54b29cc5b85a5cee6bae0cf1c21f2731"
                                + "ece2013dc3fb7c8d21654bb161b463962ca19e8c654ff24c94dd2898de12051f1ed0"
                                + "692237fb02b2f8d1dc1c73e9b366b529eb436e98a996ee522aef863dd5739d2f29b0",
                        "014784c692da35df6ecde98ee43ac425dbdd0969c0c72b42f2e708ab9d5354"
                                + "15a8569bdacfcc0a114c85b8e3f26acf4d68115f8c91a66178cdbd03b7bcc5291e374b",
                        "2ad954bbe39b7122529f7dde780bff626cd97f850d0784a432784e69d86ecc"
                                + "aade43b6c10a8ffdb94bf943c6da479db137914ec835a7e715e36e45e29b587bab3bf1",
                        "0401b45498c1714e2dce167d3caf162e45e0642afc7ed435df7902ccae0e84"
                                + "ba0f7d373f646b7738bbbdca11ed91bdeae3cdcba3301f2457be452f271fa6837580"
                                + "e661012af49583a62e48d44bed350c7118c0d8dc861c238c72a2bda17f64704f464b"
                                + "57338e7f40b60959480c0e58e6559b190d81663ed816e523b6b6a418f66d2451ec64",
                        "01462680369ae375e4b3791070a7458ed527842f6a98a79ff5e0d4cbde83c2"
                                + "7196a3916956655523a6a2556a7af62c5cadabe2ef9da3760bb21e005202f7b2462847",
                        "776ab421302f6eff7d7cb5cb1adaea0cd50872c71c2d63c30c4f1"
                                + "d5e43653336fef33b103c67e7a98add2d3b66e2fda95b5b2a667aa9dac7e59cc1d46d30e818",
                        "170f8beddfe949b75ef9c387e201baf4132fa7374593dfafa90768788b7b2b20"
                                + "0aafcc6d80ea4c795a7c5b841a",
                        List.of("05e2e5bd9f0c30832b80a279ff211cc65eceb0d97001524085d609ead60d0412",
                                "fca69744bb537f5b7a1596dbf34eaa8d84bf2e3ee7f1a155d41bd3624aa92b63",
                                "f389beaac6fcf6c0d9376e20f97e364f0609a88f1bc76d7328e9104df8477013")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rfc9180")
    void deriveKeyPairMatchesRfc9180(Rfc9180 v) {
        Dhkem kem = new Dhkem(v.kem());
        HpkeKeyPair e = kem.deriveKeyPair(hex(v.ikmE()));
        HpkeKeyPair r = kem.deriveKeyPair(hex(v.ikmR()));
        assertThat(e.privateKey().copy()).isEqualTo(hex(v.skEm()));
        assertThat(e.publicKey().hex()).isEqualTo(v.pkEm());
        assertThat(r.privateKey().copy()).isEqualTo(hex(v.skRm()));
        assertThat(r.publicKey().hex()).isEqualTo(v.pkRm());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rfc9180")
    void encapAndDecapMatchRfc9180(Rfc9180 v) throws CryptoException {
        Dhkem kem = new Dhkem(v.kem());
        Dhkem.Encapsulation e = kem.encap(hex(v.pkRm()), hex(v.skEm()));
        assertThat(HEX.formatHex(e.enc())).isEqualTo(v.pkEm());
        assertThat(HEX.formatHex(e.sharedSecret())).isEqualTo(v.sharedSecret());
        assertThat(HEX.formatHex(kem.decap(hex(v.pkEm()), hex(v.skRm())))).isEqualTo(v.sharedSecret());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rfc9180")
    void openAndExportMatchRfc9180(Rfc9180 v) throws CryptoException {
        HpkeBase hpke = new HpkeBase(v.kem(), v.kdf(), v.aead());
        HpkeCiphertext ct = new HpkeCiphertext(Bytes.fromHex(v.pkEm()), Bytes.fromHex(v.ct0()));
        assertThat(hpke.open(hex(v.skRm()), ct, INFO, AAD0)).isEqualTo(PT);
        for (int i = 0; i < EXPORT_CONTEXTS.size(); i++) {
            byte[] exported = hpke.exportReceiver(hex(v.skRm()), hex(v.pkEm()), INFO, EXPORT_CONTEXTS.get(i), 32);
            assertThat(HEX.formatHex(exported)).as("export %d", i).isEqualTo(v.exports().get(i));
        }
    }

    /** external_secret and external_pub of epoch 0 of each key-schedule.json case. */
    @ParameterizedTest
    @EnumSource(CipherSuite.class)
    void deriveKeyPairMatchesMlsExternalPub(CipherSuite suite) throws CryptoException {
        String[] v = switch (suite) {
            case MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519 -> new String[] {
                "b5cb5666cfb9c501ed76715c6ed1cafbed5061cd6b86898ae5d3fd4cb05abb26",
                "640117516be304ac1160933c894a6df9290231f1843f3685c124fc42c785c02c"};
            case MLS_128_DHKEMP256_AES128GCM_SHA256_P256 -> new String[] {
                "1f0124fdbb08c0d72123838e3731ab6953a53d565496f523bb3a4e539c949aac",
                "0404c9d6889bc661210f8c74d9e07e355755268949b606694c395516b978e76e88d30be4f47e427abf0e64126dee99df"
                        + "85a62a90de44fc7feafab3e355d6338d8c"};
            case MLS_128_DHKEMX25519_CHACHA20POLY1305_SHA256_Ed25519 -> new String[] {
                "46f51f54ce4c3457ee5681925b9d1a282de166f04e28a4a316404bd14dda3138",
                "8206ea1eb4d8d5730a2737f7470718b9d00c2276d24a98ac4e6d7ef52cba0631"};
            case MLS_256_DHKEMX448_AES256GCM_SHA512_Ed448 -> new String[] {
                "deb40d7fc2ec760462fcccf24435bc5fa746445cbcc7b61296c4c417c5843c4a60c1346aa9fbc8ed6a414f465f64b504"
                        + "5099418cee5cbb7d1c78694265a59a49",
                "818b2a6166547b384cd136df622e532ed678547bebcc3876dc807969a06322a52eb8ccca644daf8f71f08d78f018d4b6"
                        + "86d9ed063d72f04e"};
            case MLS_256_DHKEMP521_AES256GCM_SHA512_P521 -> new String[] {
                "8ae3acfc2dd7189a19324bbbddfd1499b4db824b1d1bba60234b25dd9134a7bb63d4f36d83d23ef57f929a04ebeb7136"
                        + "7940e4eedc33052f1e59fd0f42e6228a",
                "0400044cc9ff41f273e2d0bc6494c12313f53bd8b243fc908599a5b99818ab78581bb3dc05068e7211dd94e023417e16"
                        + "c7861188601e6bc8aad781f1ad5e8322b85f4800a8616c8204811b49fb07b90a388cd387c5fe425f70bf6f2e200a"
                        + "0e8215f905f4527ae9e8bd9210ef4842b91d2762c5f0afcc375c248ae6621ddaa42fc8b9de3b3c"};
            case MLS_256_DHKEMX448_CHACHA20POLY1305_SHA512_Ed448 -> new String[] {
                "7cd214a8fa2be38a15956bc774e73a142f7eb323e1f205c6cc66523853f1cbcd05d4039ef82db1e340eed26a6a59f270"
                        + "a8a666fe0a93e5a5b26aca22afce6e1a",
                "17a80b2b58453f8f4567fcd958cd38da1f900229bf1f8d5685f9b3e5be0be31c6cae957c8d6127d99061e48d890f2151"
                        + "159bb9864e81ea80"};
            case MLS_256_DHKEMP384_AES256GCM_SHA384_P384 -> new String[] {
                "7239c2eae6454a64ad3e77aff3c775b947fcfaee5fbe7fecef57876e7f06095034ff89b158114490aa79bd0f043746cb",
                "049084276638ff07d5c9c83d45bcb72f03ce87949a21f5ee0a9962c4c32d0441cf35270ec337854716426aa54650b8b6"
                        + "f536a3fa833ba08d6d37549000bb7e847b7c48a662b86de75078786accc241fe811432d00b187b793a59f67381ab"
                        + "658630"};
        };
        SuiteCrypto crypto = CryptoProvider.defaultProvider().suite(suite);
        HpkeKeyPair kp = crypto.deriveHpkeKeyPair(hex(v[0]));
        assertThat(kp.publicKey().hex()).isEqualTo(v[1]);
        assertThat(crypto.hpkePublicKey(kp.privateKey())).isEqualTo(kp.publicKey());
    }

    private static byte[] hex(String s) {
        return HEX.parseHex(s);
    }
}
