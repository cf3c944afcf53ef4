package com.poolsbridge.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every contract citation in the shipped code and configuration (§n.n sections, G-nn open choices) resolves in
 * docs/0pools-contract-notes.md: a § as a heading, a G-nn as a row of the §10 table. Citations of the issues
 * ("issue 8 §2") name the issue texts, not the contract, and are skipped.
 */
class ContractCitationsTest {

    private static final Path NOTES = Path.of("docs/0pools-contract-notes.md");
    private static final List<Path> CITING = List.of(Path.of("src/main"), Path.of("routes"), Path.of("config"), Path.of("README.md"));

    // "§3.5-3.7" cites both ends; the look-behind skips "issue 8 §2"
    private static final Pattern SECTION = Pattern.compile("(?<!issue \\d{1,2} )§(\\d+(?:\\.\\d+)*)(?:-(\\d+(?:\\.\\d+)*))?",
            Pattern.CASE_INSENSITIVE);
    // word boundary: "0P-KYCPENDING-0001" is a reference, not a G-id
    private static final Pattern CHOICE = Pattern.compile("\\bG-(\\d{1,2})\\b");

    @Test
    void everyCitedSectionIsAHeadingOfTheNotes() throws IOException {
        Map<String, Set<String>> cited = citations(SECTION, m -> m.group(2) == null
                ? Stream.of(m.group(1)) : Stream.of(m.group(1), m.group(2)));
        assertThat(cited).as("the scan found the citations").containsKeys("2.1", "4.2", "7.1", "8.4");
        String notes = Files.readString(NOTES);
        cited.forEach((section, files) -> assertThat(notes)
                .as("§%s, cited in %s", section, files)
                .containsPattern("(?m)^#{2,4} §" + Pattern.quote(section) + "(?![.\\d])"));
    }

    @Test
    void everyCitedOpenChoiceIsARowOfTheNotes() throws IOException {
        Map<String, Set<String>> cited = citations(CHOICE, m -> Stream.of(m.group(1)));
        assertThat(cited).as("the scan found the citations").containsKeys("9", "14");
        String notes = Files.readString(NOTES);
        cited.forEach((choice, files) -> assertThat(notes)
                .as("G-%s, cited in %s", choice, files)
                .containsPattern("(?m)^\\| G-" + choice + " \\|"));
    }

    /** Cited id → files citing it, over every text file under the citing roots. */
    private static Map<String, Set<String>> citations(Pattern pattern,
            Function<Matcher, Stream<String>> ids) throws IOException {
        Map<String, Set<String>> cited = new TreeMap<>();
        for (Path root : CITING) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(Files::isRegularFile).collect(Collectors.toList())) {
                    String text = readText(file);
                    Matcher m = pattern.matcher(text);
                    while (m.find()) {
                        ids.apply(m).forEach(id -> cited.computeIfAbsent(id, k -> new TreeSet<>()).add(file.toString()));
                    }
                }
            }
        }
        return cited;
    }

    private static String readText(Path file) {
        try {
            return Files.readString(file);
        } catch (MalformedInputException binary) {
            return "";   // keystores and the like cite nothing
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
