package org.mlsbridge.app.bridge;

import java.util.function.Consumer;
import sun.misc.Signal;

/**
 * SIGTERM (a service manager's stop) and SIGINT (Ctrl-C) ask the bridge to stop after the
 * current event instead of ending the JVM at once: the command then closes its connections and
 * exits 0. A second signal while stopping is ignored; SIGKILL is the way to end it at once (a
 * restart then resumes from the saved cursors).
 */
final class StopSignals {
    private StopSignals() {
    }

    static void install(Runnable stop, Consumer<String> say) {
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), s -> {
                say.accept("stopping (SIG" + s.getName() + "): finishing the current event");
                stop.run();
            });
        }
    }
}
