package org.mlsbridge.app.client;

import java.util.Locale;

/** One line the user typed: a message to send, or a command. */
public sealed interface ChatInput {
    /** Text to encrypt and send to the room. */
    record Say(String text) implements ChatInput {
    }

    /** {@code /members}: the group's members with their key fingerprints. */
    record Members() implements ChatInput {
    }

    /** {@code /epoch}: the group's epoch and its authenticator, to compare with others. */
    record Epoch() implements ChatInput {
    }

    /** {@code /create}: start the room's MLS group, with the room's bot as external sender. */
    record Create() implements ChatInput {
    }

    /** {@code /leave}: leave the room (and so the group), then quit. */
    record Leave() implements ChatInput {
    }

    /** {@code /quit}: stop the client; it stays in the room and catches up on the next start. */
    record Quit() implements ChatInput {
    }

    /** {@code /help}. */
    record Help() implements ChatInput {
    }

    /** A line that starts with '/' but names no command. */
    record Unknown(String command) implements ChatInput {
    }

    /** Nothing to do (an empty line). */
    record Blank() implements ChatInput {
    }

    String HELP = """
            Type a line to send it, end-to-end encrypted, to the room. Commands:
              /members   the group's members and their key fingerprints (compare them out of band)
              /epoch     the group's epoch and epoch authenticator (equal for everyone in the same state)
              /create    start the room's MLS group (once per room, by its first member)
              /leave     leave the room and the group, then quit
              /quit      stop this client (it stays in the room and catches up when started again)
              /help      this text
            A line starting with '/' that is meant as text: start it with '//'.""";

    /** Parses one line; a line of only whitespace is {@link Blank}. */
    static ChatInput parse(String line) {
        String trimmed = line.strip();
        if (trimmed.isEmpty()) {
            return new Blank();
        }
        if (trimmed.startsWith("//")) {
            return new Say(trimmed.substring(1));
        }
        if (!trimmed.startsWith("/")) {
            return new Say(line.stripTrailing());
        }
        String word = trimmed.split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
        return switch (word) {
            case "/members", "/who" -> new Members();
            case "/epoch" -> new Epoch();
            case "/create" -> new Create();
            case "/leave" -> new Leave();
            case "/quit", "/exit" -> new Quit();
            case "/help", "/?" -> new Help();
            default -> new Unknown(word);
        };
    }
}
