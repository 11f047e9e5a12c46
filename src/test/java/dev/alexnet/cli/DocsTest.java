package dev.alexnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The user documentation (README.md, docs/*.md, CHANGELOG.md) is checked: every relative link and {@code #anchor}
 * resolves, every {@code bin/alexnet ...} command line shown parses with the current CLI, and the user pages speak of
 * the program as it is, not of its history.
 */
class DocsTest {

    private static final Path ROOT = Path.of("").toAbsolutePath();

    @Test
    void everyLinkAndAnchorResolves() {
        List<String> problems = new ArrayList<>();
        for (Path page : pages(true)) {
            problems.addAll(brokenLinks(page));
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void everyCommandLineShownParses() {
        List<String> problems = new ArrayList<>();
        int commands = 0;
        for (Path page : pages(false)) {
            for (String command : commandLines(read(page))) {
                commands++;
                String problem = parseProblem(command);
                if (problem != null) {
                    problems.add(ROOT.relativize(page) + ": " + command + " -> " + problem);
                }
            }
        }
        assertEquals(List.of(), problems);
        assertTrue(commands >= 20, "the docs show only " + commands + " command lines; is the reader broken?");
    }

    @Test
    void userPagesHaveNoHistory() {
        List<String> problems = new ArrayList<>();
        for (Path page : pages(false)) {
            problems.addAll(historyWords(page));
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void theReadmeIsShort() throws IOException {
        long lines = Files.readAllLines(ROOT.resolve("README.md")).size();
        assertTrue(lines <= 200, "README.md has " + lines + " lines; details belong in docs/");
    }

    // The checks themselves, shown to fail on what they are for.

    @Test
    void aBrokenLinkOrAnchorIsFound(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("other.md"), "# Other page\n\n## A section\n");
        Path page = dir.resolve("page.md");
        Files.writeString(page, "# Page\n\n[fine](other.md#a-section) [gone](missing.md) "
                + "[no anchor](other.md#no-such-section) [here](#page) [not here](#nowhere)\n"
                + "```\n[inside code](ignored.md)\n```\n");
        List<String> problems = brokenLinks(page);
        assertEquals(3, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("missing.md"), problems.toString());
        assertTrue(problems.get(1).contains("#no-such-section"), problems.toString());
        assertTrue(problems.get(2).contains("#nowhere"), problems.toString());
    }

    @Test
    void aRenamedFlagOrUnknownCommandIsFound() {
        String text = "Run\n\n```\nbin/alexnet evaluate --weight runs/book\nbin/alexnet evaluate --weights runs/book "
                + "\\\n  --val-limit 100\nbin/alexnet evalute\n```\n\nand `bin/alexnet summary --modle lenet`.\n";
        List<String> commands = commandLines(text);
        assertEquals(List.of("bin/alexnet evaluate --weight runs/book", "bin/alexnet evaluate --weights runs/book "
                + "--val-limit 100", "bin/alexnet evalute", "bin/alexnet summary --modle lenet"), commands);
        assertTrue(parseProblem(commands.get(0)) != null);
        assertEquals(null, parseProblem(commands.get(1)));
        assertTrue(parseProblem(commands.get(2)) != null);
        assertTrue(parseProblem(commands.get(3)) != null);
    }

    @Test
    void historyWordsAreFound(@TempDir Path dir) throws IOException {
        Path page = dir.resolve("page.md");
        Files.writeString(page, "Built in the second round.\nSee target/alexnet.jar and bench --rounds 3.\n"
                + "An earlier build was slower.\n");
        List<String> problems = historyWords(page);
        assertEquals(2, problems.size(), problems.toString());
    }

    // Reading the pages.

    private static List<Path> pages(boolean withChangelog) {
        List<Path> pages = new ArrayList<>();
        pages.add(ROOT.resolve("README.md"));
        if (withChangelog) {
            pages.add(ROOT.resolve("CHANGELOG.md"));
        }
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path models = ROOT.resolve("models/README.md");
        if (Files.exists(models)) {
            pages.add(models);
        }
        return pages.stream().filter(Files::exists).toList();
    }

    private static String read(Path page) {
        try {
            return Files.readString(page);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns the page's text outside fenced code blocks, with code spans kept (links are not read in them). */
    private static String prose(String text) {
        StringBuilder prose = new StringBuilder();
        boolean fenced = false;
        for (String line : text.split("\n", -1)) {
            if (line.strip().startsWith("```")) {
                fenced = !fenced;
                prose.append('\n');
                continue;
            }
            prose.append(fenced ? "" : line).append('\n');
        }
        return prose.toString();
    }

    // Links.

    private static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    private static final Pattern HTML_LINK = Pattern.compile("(?:href|src)=\"([^\"]+)\"");
    private static final Pattern CODE_SPAN = Pattern.compile("`[^`]*`");

    private static List<String> brokenLinks(Path page) {
        String text = CODE_SPAN.matcher(prose(read(page))).replaceAll("");
        List<String> targets = new ArrayList<>();
        for (Pattern pattern : List.of(LINK, HTML_LINK)) {
            Matcher m = pattern.matcher(text);
            while (m.find()) {
                targets.add(m.group(1));
            }
        }
        List<String> problems = new ArrayList<>();
        for (String target : targets) {
            if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
                continue; // http:, https:, mailto:
            }
            int hash = target.indexOf('#');
            String file = hash >= 0 ? target.substring(0, hash) : target;
            String anchor = hash >= 0 ? target.substring(hash + 1) : null;
            Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
            String where = page.getFileName() + ": " + target;
            if (!Files.exists(resolved)) {
                problems.add(where + " (no such file)");
            } else if (anchor != null && !anchors(resolved).contains(anchor)) {
                problems.add(where + " (no such anchor in " + resolved.getFileName() + ")");
            }
        }
        return problems;
    }

    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern HTML_ANCHOR = Pattern.compile("<a\\s+(?:id|name)=\"([^\"]+)\"");

    /** Returns the anchors GitHub makes for a page's headings (and explicit {@code <a id>} anchors). */
    private static Set<String> anchors(Path page) {
        Set<String> anchors = new HashSet<>();
        if (!page.toString().endsWith(".md")) {
            return anchors;
        }
        Map<String, Integer> seen = new HashMap<>();
        String text = prose(read(page));
        for (String line : text.split("\n")) {
            Matcher heading = HEADING.matcher(line);
            if (heading.matches()) {
                String slug = slug(heading.group(1));
                int count = seen.merge(slug, 1, Integer::sum);
                anchors.add(count == 1 ? slug : slug + "-" + (count - 1));
            }
        }
        Matcher html = HTML_ANCHOR.matcher(text);
        while (html.find()) {
            anchors.add(html.group(1));
        }
        return anchors;
    }

    /** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
    static String slug(String heading) {
        String text = heading.replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1"); // a link in a heading: its text
        return text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
    }

    // Command lines.

    private static final Pattern INLINE_COMMAND = Pattern.compile("`((?:[A-Z_]+=\\S+\\s+)*bin/alexnet(?:\\s[^`]*)?)`");

    /** Returns the {@code bin/alexnet ...} lines of code blocks (continuations joined) and of inline code spans. */
    static List<String> commandLines(String text) {
        List<String> commands = new ArrayList<>();
        boolean fenced = false;
        StringBuilder pending = null;
        for (String line : text.split("\n", -1)) {
            if (line.strip().startsWith("```")) {
                fenced = !fenced;
                pending = null;
                continue;
            }
            if (fenced) {
                String content = line.strip();
                if (pending != null) {
                    pending.append(' ').append(content);
                } else {
                    int at = content.indexOf("bin/alexnet");
                    if (at < 0 || !content.substring(0, at).matches("([A-Z_]+=\\S*\\s+)*")) {
                        continue;
                    }
                    pending = new StringBuilder(content.substring(at));
                }
                if (pending.toString().endsWith("\\")) {
                    pending.setLength(pending.length() - 1);
                    String trimmed = pending.toString().stripTrailing();
                    pending.setLength(0);
                    pending.append(trimmed);
                } else {
                    commands.add(pending.toString().strip());
                    pending = null;
                }
            } else {
                Matcher inline = INLINE_COMMAND.matcher(line);
                while (inline.find()) {
                    String command = inline.group(1);
                    commands.add(command.substring(command.indexOf("bin/alexnet")).strip());
                }
            }
        }
        return commands;
    }

    /** Returns why the CLI would not accept the command line, or null when it parses. */
    static String parseProblem(String command) {
        List<String> words = shellWords(command);
        if (words.isEmpty() || !words.get(0).equals("bin/alexnet")) {
            return "not a bin/alexnet command";
        }
        try {
            new CommandLine(new AlexNetCommand()).parseArgs(words.subList(1, words.size()).toArray(new String[0]));
            return null;
        } catch (CommandLine.ParameterException e) {
            return e.getMessage();
        }
    }

    /** Splits a shell line into words, with quotes, up to a pipe, redirection, comment or command separator. */
    private static List<String> shellWords(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                word = word == null ? new StringBuilder() : word;
            } else if (Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else if ((c == '|' || c == ';' || c == '>' || c == '<' || c == '&' || c == '#') && word == null
                    || (c == '>' && word != null && word.toString().matches("[0-9]"))) {
                if (c == '>' && word != null) {
                    word = null;
                }
                break;
            } else {
                word = word == null ? new StringBuilder() : word;
                word.append(c);
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }

    // History.

    private static final Pattern HISTORY = Pattern.compile("(?i)(?<![-/\\w\"])(rounds?|sessions?|issues?|target"
            + "|earlier builds?|this change|old build|first version|later build|before this version|after review)"
            + "(?![/\\w])");

    private static List<String> historyWords(Path page) {
        List<String> problems = new ArrayList<>();
        String[] lines = read(page).split("\n");
        for (int i = 0; i < lines.length; i++) {
            Matcher m = HISTORY.matcher(lines[i]);
            while (m.find()) {
                problems.add(page.getFileName() + ":" + (i + 1) + ": '" + m.group(1) + "'");
            }
        }
        return problems;
    }
}
