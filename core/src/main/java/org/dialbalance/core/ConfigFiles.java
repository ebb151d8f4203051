package org.dialbalance.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

import org.dialbalance.api.ConfigProblem;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigIncludeContext;
import com.typesafe.config.ConfigIncluder;
import com.typesafe.config.ConfigIncluderClasspath;
import com.typesafe.config.ConfigIncluderFile;
import com.typesafe.config.ConfigIncluderURL;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;

/**
 * Reads HOCON files that may be hostile, for the balancer's configuration and the simulator's scenarios
 * alike. A file is refused, with one problem naming it, when it is not a regular file (a directory, a
 * device such as {@code /dev/zero}, a pipe), is larger than {@value #MAX_BYTES} bytes (1 MiB), is not
 * UTF-8 text, nests objects and lists ({@code {} and {@code [}) deeper than {@value #MAX_DEPTH} levels,
 * uses more than {@value #MAX_SUBSTITUTIONS} substitutions ({@code ${...}}: chained substitutions multiply
 * the text, so a small file could resolve to gigabytes; with at most 8 the resolved text stays under about
 * 20 times the file), or uses {@code include} (an included file would escape these limits).
 */
public final class ConfigFiles {

    /** The largest configuration or scenario file read: 1 MiB. */
    public static final int MAX_BYTES = 1 << 20;
    /** The deepest nesting of objects and lists accepted. */
    public static final int MAX_DEPTH = 64;
    /** The most substitutions ({@code ${path}}, {@code ${?path}}) a file may use. */
    public static final int MAX_SUBSTITUTIONS = 8;

    private ConfigFiles() {
    }

    /**
     * Reads, checks and parses a HOCON file, substitutions resolved.
     *
     * @throws ConfigException with one problem, option {@code file}, when the file is refused or is not valid HOCON
     */
    public static Config parse(Path file) {
        String text = read(file);
        try {
            return ConfigFactory.parseString(text, ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF)
                    .setOriginDescription(file.toString()).setIncluder(noIncludes())).resolve();
        } catch (com.typesafe.config.ConfigException e) {
            throw refused(file, "valid HOCON (" + parserMessage(e) + ")");
        }
    }

    /**
     * Reads a text file after the checks of {@link #parse}: a regular file of at most {@value #MAX_BYTES}
     * bytes of UTF-8 text, nested at most {@value #MAX_DEPTH} levels deep.
     *
     * @throws ConfigException with one problem, option {@code file}, when the file is refused
     */
    public static String read(Path file) {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw refused(file, "a readable HOCON file (there is no such file)");
        } catch (IOException | SecurityException e) {
            throw refused(file, "a readable HOCON file (" + e.getClass().getSimpleName() + ")");
        }
        if (!attributes.isRegularFile()) {
            throw refused(file, "a regular file, but this is " + (attributes.isDirectory() ? "a directory"
                    : "not one (a device, pipe or socket)"));
        }
        if (attributes.size() > MAX_BYTES) {
            throw refused(file, "a file of at most 1 MiB (" + MAX_BYTES + " bytes), but it has " + attributes.size() + " bytes");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES + 1);    // the size may change, or lie, between the check and the read
        } catch (IOException | SecurityException e) {
            throw refused(file, "a readable HOCON file (" + e.getClass().getSimpleName() + ")");
        }
        if (bytes.length > MAX_BYTES) {
            throw refused(file, "a file of at most 1 MiB (" + MAX_BYTES + " bytes), but it has more");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw refused(file, "UTF-8 text, but it holds bytes that are not");
        }
        String overLimit = overLimit(text);
        if (overLimit != null) {
            throw refused(file, overLimit);
        }
        return text;
    }

    /**
     * What HOCON text breaks of the limits on nesting and substitutions, as the expectation of a problem, or
     * {@code null} when it keeps them.
     */
    static String overLimit(String text) {
        String control = controlCharacter(text);
        if (control != null) {
            return control;
        }
        int line = tooDeepAt(text);
        if (line > 0) {
            return "objects and lists nested at most " + MAX_DEPTH + " levels deep, but line " + line + " goes deeper";
        }
        String unclosed = unclosed(text);
        if (unclosed != null) {
            return unclosed;
        }
        int substitutions = substitutions(text);
        if (substitutions > MAX_SUBSTITUTIONS) {
            return "at most " + MAX_SUBSTITUTIONS + " substitutions (${...}), but it uses " + substitutions;
        }
        return null;
    }

    /**
     * The problem of a raw control character (other than tab, CR and LF) anywhere in the text, naming its line, or
     * {@code null}: the parser's own message for one is long and repeats itself, and in a value one would be an
     * attack (an escape sequence for the terminal that shows a log) or a mistake.
     */
    static String controlCharacter(String text) {
        int line = 1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
            } else if (c != '\t' && c != '\r' && Character.isISOControl(c)) {
                return String.format(java.util.Locale.ROOT, "text without control characters other than tab, CR and LF, "
                        + "but line %d holds U+%04X (in a quoted string, write \\u%04X)", line, (int) c, (int) c);
            }
        }
        return null;
    }

    /**
     * The problem of a '{' or '[' that is never closed, naming the line of the last one opened, or {@code null}: the
     * parser says "expecting a close parentheses ')'" for it. Quoted strings and comments are skipped.
     */
    static String unclosed(String text) {
        java.util.ArrayDeque<int[]> open = new java.util.ArrayDeque<>();    // {character, line}
        scanLines(text, (c, i, at) -> {
            if (c == '{' || c == '[') {
                open.push(new int[] {c, at});
            } else if ((c == '}' || c == ']') && !open.isEmpty()) {
                open.pop();
            }
            return true;
        });
        if (open.isEmpty()) {
            return null;
        }
        int[] last = open.peek();
        char close = last[0] == '{' ? '}' : ']';
        return "every '{' and '[' closed, but " + (open.size() == 1 ? "one is" : open.size() + " are") + " not: the '"
                + (char) last[0] + "' opened on line " + last[1] + " has no '" + close + "'";
    }

    /** How many substitutions ({@code ${}) HOCON text uses outside quoted strings and comments. */
    static int substitutions(String text) {
        int[] count = {0};
        scan(text, (c, i) -> {
            if (c == '$' && i + 1 < text.length() && text.charAt(i + 1) == '{') {
                count[0]++;
            }
            return true;
        });
        return count[0];
    }

    /**
     * The line where HOCON text first nests {@code {} and {@code [} deeper than {@value #MAX_DEPTH}, or 0.
     * Quoted strings and comments are skipped.
     */
    static int tooDeepAt(String text) {
        int[] depth = {0};
        return scan(text, (c, i) -> {
            if (c == '{' || c == '[') {
                return ++depth[0] <= MAX_DEPTH;
            }
            if ((c == '}' || c == ']') && depth[0] > 0) {
                depth[0]--;
            }
            return true;
        });
    }

    /** Sees one character of HOCON text outside quoted strings and comments; {@code false} stops the scan. */
    private interface UnquotedVisitor {
        boolean visit(char c, int index);
    }

    /** Sees one character of HOCON text outside quoted strings and comments, and its line; {@code false} stops the scan. */
    private interface LineVisitor {
        boolean visit(char c, int index, int line);
    }

    /** Visits the characters outside quoted strings and comments; returns the line where the visitor stopped, or 0. */
    private static int scan(String text, UnquotedVisitor visitor) {
        return scanLines(text, (c, index, line) -> visitor.visit(c, index));
    }

    /** Visits the characters outside quoted strings and comments, with their lines; returns the line where the visitor stopped, or 0. */
    private static int scanLines(String text, LineVisitor visitor) {
        int line = 1;
        int i = 0;
        int length = text.length();
        while (i < length) {
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
                i++;
            } else if (text.startsWith("\"\"\"", i)) {
                int end = text.indexOf("\"\"\"", i + 3);
                end = end < 0 ? length : end + 3;
                line += count(text, i, end);
                i = end;
            } else if (c == '"') {
                i++;
                while (i < length && text.charAt(i) != '"' && text.charAt(i) != '\n') {
                    i += text.charAt(i) == '\\' ? 2 : 1;
                }
                i++;
            } else if (c == '#' || text.startsWith("//", i)) {
                while (i < length && text.charAt(i) != '\n') {
                    i++;
                }
            } else {
                if (!visitor.visit(c, i, line)) {
                    return line;
                }
                i++;
            }
        }
        return 0;
    }

    private static int count(String text, int from, int to) {
        int lines = 0;
        for (int i = from; i < to && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                lines++;
            }
        }
        return lines;
    }

    /**
     * The parser's message for a problem, as one short line: its origin, line and first sentence, without the
     * advice it appends (" (if you intended ...") that repeats the token and makes a line of ~500 characters.
     */
    static String parserMessage(com.typesafe.config.ConfigException e) {
        String message = String.valueOf(e.getMessage());
        int advice = message.indexOf(" (if you intended ");
        if (advice > 0) {
            message = message.substring(0, advice);
        }
        return ConfigProblem.excerpt(message, 300);
    }

    /** An includer that refuses every {@code include}. */
    static ConfigIncluder noIncludes() {
        return new NoIncludes();
    }

    private static ConfigException refused(Path file, String expected) {
        return new ConfigException(List.of(new ConfigProblem("file", file.toString(), expected)));
    }

    /** Refuses {@code include}: an included file, URL or resource would escape the limits. */
    private static final class NoIncludes implements ConfigIncluder, ConfigIncluderFile, ConfigIncluderURL,
            ConfigIncluderClasspath {
        @Override
        public ConfigIncluder withFallback(ConfigIncluder fallback) {
            return this;
        }

        @Override
        public ConfigObject include(ConfigIncludeContext context, String what) {
            throw refusal(what);
        }

        @Override
        public ConfigObject includeFile(ConfigIncludeContext context, java.io.File what) {
            throw refusal(what.toString());
        }

        @Override
        public ConfigObject includeURL(ConfigIncludeContext context, java.net.URL what) {
            throw refusal(what.toString());
        }

        @Override
        public ConfigObject includeResources(ConfigIncludeContext context, String what) {
            throw refusal(what);
        }

        private static com.typesafe.config.ConfigException refusal(String what) {
            return new com.typesafe.config.ConfigException.Generic("'include' is not supported (include \""
                    + ConfigProblem.excerpt(what, 60) + "\"): write the options in this file");
        }
    }
}
