package org.mlsbridge.app.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Creates XMPP accounts by running a local command with the account appended: for Prosody,
 * {@code prosodyctl --config FILE register} followed by {@code USER DOMAIN PASSWORD}.
 */
final class CommandRegistrar implements Registrar {
    private final List<String> command;
    private final String domain;

    CommandRegistrar(List<String> command, String domain) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("empty registration command");
        }
        this.command = List.copyOf(command);
        this.domain = domain;
    }

    @Override
    public void register(String localpart, String password) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(command);
        full.addAll(List.of(localpart, domain, password));
        Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(command.get(0) + " did not finish registering " + localpart + " within 60 s");
        }
        if (p.exitValue() != 0) {
            // The output is the tool's own message; the password is not in it.
            throw new IOException(command.get(0) + " failed to register " + localpart + " (exit " + p.exitValue()
                    + "): " + new String(out, StandardCharsets.UTF_8).strip().replace(password, "***"));
        }
    }
}
