package org.mlsbridge.bridge.store;

/** What the crash tests' worker JVMs inherit from the test JVM. */
final class ChildJvm {
    private ChildJvm() {
    }

    /**
     * Where sqlite-jdbc unpacks its native library: the test JVM's folder (the build folder,
     * set by surefire), because a worker killed with SIGKILL never deletes its copy.
     */
    static String sqliteTmpdirFlag() {
        return "-Dorg.sqlite.tmpdir=" + System.getProperty("org.sqlite.tmpdir", System.getProperty("java.io.tmpdir"));
    }
}
