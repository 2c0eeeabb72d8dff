package org.mlsbridge.interop;

import java.util.Objects;

/**
 * A member between a merged ReInit commit and the new group: the old group (which holds the
 * ReInit and the resumption PSK) and the KeyPackage of the new cipher suite it handed out.
 */
record ReInitHandle(GroupHandle old, KeyPackageHandle next) {
    ReInitHandle {
        Objects.requireNonNull(old, "old");
        Objects.requireNonNull(next, "next");
    }
}
