package org.mlsbridge.servers;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Makes sure Prosody and the Synapse chroot are there, installing what is missing with the
 * repository's scripts (scripts/servers/install-prosody.sh, scripts/servers/synapse-chroot.sh:
 * apt-get and debootstrap, as root; the chroot is cached under $HOME/.cache/mlsbridge). The
 * scripts are found through the system property {@code mlsbridge.home} (the launcher sets it),
 * else above the working folder or above this jar.
 */
public final class ServerInstaller {
    /** The property naming the repository folder that holds scripts/servers/. */
    public static final String HOME_PROPERTY = "mlsbridge.home";
    private static final String PROSODY_SCRIPT = "scripts/servers/install-prosody.sh";
    private static final String SYNAPSE_SCRIPT = "scripts/servers/synapse-chroot.sh";

    private ServerInstaller() {
    }

    /** What is missing, in words; empty when both servers can be started now. */
    public static List<String> missing() {
        List<String> out = new ArrayList<>();
        if (!LocalProsody.installed()) {
            out.add("Prosody (" + PROSODY_SCRIPT + ")");
        }
        if (!LocalSynapse.ready(LocalSynapse.chroot())) {
            out.add("the Synapse chroot in " + LocalSynapse.chroot() + " (" + SYNAPSE_SCRIPT + ")");
        }
        return out;
    }

    /** {@link #ensureInstalled(Consumer)} without progress lines. */
    public static void ensureInstalled() throws ServersUnavailableException, InterruptedException {
        ensureInstalled(step -> { });
    }

    /**
     * Installs whatever is missing, saying what it does through {@code progress}; the scripts'
     * own output goes to a log file, kept (and named in the exception) only if they fail.
     *
     * @throws ServersUnavailableException they cannot be installed or run here (not root, no
     *     apt-get, no scripts); the message says what to install
     */
    public static void ensureInstalled(Consumer<String> progress) throws ServersUnavailableException,
            InterruptedException {
        List<String> missing = missing();
        if (!Processes.isRoot()) {
            throw new ServersUnavailableException("the local servers need root (Prosody runs as its own user, Synapse in a"
                    + " chroot): run this as root" + (missing.isEmpty() ? ""
                    : ", which first installs " + String.join(" and ", missing)));
        }
        if (missing.isEmpty()) {
            return;
        }
        Path home = repository().orElseThrow(() -> new ServersUnavailableException("cannot find " + PROSODY_SCRIPT
                + " (set -D" + HOME_PROPERTY + "=REPOSITORY or run ./mlsbridge from the repository); install "
                + String.join(", ", missing)));
        if (!Files.isExecutable(Path.of("/usr/bin/apt-get"))) {
            throw new ServersUnavailableException("no apt-get on this machine to install " + String.join(", ", missing)
                    + ": install Prosody and build the Synapse chroot (Debian, as root)");
        }
        if (!LocalProsody.installed()) {
            progress.accept("installing Prosody (Debian's package, a few seconds)");
            runScript(home, PROSODY_SCRIPT, "Prosody");
        }
        if (!LocalSynapse.ready(LocalSynapse.chroot())) {
            progress.accept("building the Synapse chroot in " + LocalSynapse.chroot() + " (once; 1 to 3 minutes)");
            runScript(home, SYNAPSE_SCRIPT, "the Synapse chroot");
        }
    }

    private static void runScript(Path home, String script, String what)
            throws ServersUnavailableException, InterruptedException {
        Path log;
        int code;
        try {
            log = Files.createTempFile("mlsbridge-install-", ".log");
            code = new ProcessBuilder(home.resolve(script).toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start().waitFor();
        } catch (IOException e) {
            throw new ServersUnavailableException("could not install " + what + ": " + script + ": " + e.getMessage());
        }
        if (code != 0) {
            throw new ServersUnavailableException("could not install " + what + ": " + script + " failed (exit " + code
                    + "; its log: " + log + ")");
        }
        Processes.deleteLeftover(log);
    }

    /** The repository folder: the property, else the first folder above the working folder or the jar with the scripts. */
    static Optional<Path> repository() {
        String property = System.getProperty(HOME_PROPERTY);
        if (property != null && !property.isBlank()) {
            return Optional.of(Path.of(property)).filter(ServerInstaller::holdsScripts);
        }
        List<Path> starts = new ArrayList<>();
        starts.add(Path.of("").toAbsolutePath());
        CodeSource jar = ServerInstaller.class.getProtectionDomain().getCodeSource();
        if (jar != null) {
            try {
                starts.add(Path.of(jar.getLocation().toURI()));
            } catch (URISyntaxException | IllegalArgumentException e) {
                // not a file location: the working folder is still searched
            }
        }
        for (Path start : starts) {
            for (Path p = start; p != null; p = p.getParent()) {
                if (holdsScripts(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    private static boolean holdsScripts(Path dir) {
        return Files.isRegularFile(dir.resolve(PROSODY_SCRIPT)) && Files.isRegularFile(dir.resolve(SYNAPSE_SCRIPT));
    }
}
