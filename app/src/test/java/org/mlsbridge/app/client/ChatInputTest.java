package org.mlsbridge.app.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChatInputTest {
    @Test
    void linesAreMessagesOrCommands() {
        assertThat(ChatInput.parse("hello there  ")).isEqualTo(new ChatInput.Say("hello there"));
        assertThat(ChatInput.parse("  ")).isEqualTo(new ChatInput.Blank());
        assertThat(ChatInput.parse("/members")).isEqualTo(new ChatInput.Members());
        assertThat(ChatInput.parse("/EPOCH")).isEqualTo(new ChatInput.Epoch());
        assertThat(ChatInput.parse("/create")).isEqualTo(new ChatInput.Create());
        assertThat(ChatInput.parse("/leave now")).isEqualTo(new ChatInput.Leave());
        assertThat(ChatInput.parse("/quit")).isEqualTo(new ChatInput.Quit());
        assertThat(ChatInput.parse("/help")).isEqualTo(new ChatInput.Help());
        assertThat(ChatInput.parse("/nope")).isEqualTo(new ChatInput.Unknown("/nope"));
        assertThat(ChatInput.parse("//quit is a word")).isEqualTo(new ChatInput.Say("/quit is a word"));
    }

    @Test
    void networkTextCannotDrawOnTheTerminal() {
        assertThat(ChatRenderer.printable("hi\u001b[2J\nthere\u202e")).isEqualTo("hi?[2J?there?");
    }
}
