package io.github.keycloaklti.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.junit.jupiter.api.Test;

/** Every refusal the extension can give has its page text: what the learner reads, what the admin fixes. */
class LaunchErrorMessagesTest {

    @Test
    void everyLaunchErrorHasItsMessage() throws IOException {
        Properties messages = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of("../lti-pages/src/main/resources/theme-resources/"
                + "messages/messages_en.properties"), StandardCharsets.UTF_8)) {
            messages.load(reader);
        }
        for (LaunchError error : LaunchError.values()) {
            assertThat(messages.getProperty("ltiError." + error.code())).as(error.code()).isNotBlank();
        }
    }
}
