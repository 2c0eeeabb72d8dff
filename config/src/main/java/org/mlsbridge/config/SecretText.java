package org.mlsbridge.config;

import java.util.Arrays;

/**
 * A secret read from a file (a password). Its {@code toString} never shows it, so a record that
 * holds one can be logged; {@link #reveal()} is for the one place that sends it.
 */
public final class SecretText {
    private final char[] value;

    public SecretText(String value) {
        this.value = value.toCharArray();
    }

    public String reveal() {
        return new String(value);
    }

    public int length() {
        return value.length;
    }

    /** Overwrites this copy with zeros (strings made by {@link #reveal()} earlier are beyond reach). */
    public void destroy() {
        Arrays.fill(value, '\0');
    }

    @Override
    public String toString() {
        return "SecretText[redacted]";
    }
}
