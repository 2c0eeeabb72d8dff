package org.mlsbridge.app.load;

/** Creates an account on a server: the load run uses fresh accounts every time (no stale KeyPackages). */
@FunctionalInterface
interface Registrar {
    void register(String localpart, String password) throws Exception;
}
