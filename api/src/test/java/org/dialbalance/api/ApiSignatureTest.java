package org.dialbalance.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Fails when a public signature of a {@link Stable} api type disappears or changes: plugin authors
 * compiled against it. Additions are fine. The baseline is {@code api-signatures.txt}; after an intended,
 * compatible addition, refresh it with {@code mvn -pl api test -Ddialbalance.updateApiSignatures=true}
 * and commit the file.
 */
class ApiSignatureTest {

    private static final String BASELINE = "api-signatures.txt";

    @Test
    void noStableSignatureWasRemovedOrChanged() throws Exception {
        TreeSet<String> current = currentSignatures();
        if (Boolean.getBoolean("dialbalance.updateApiSignatures")) {
            Files.write(Path.of("src/test/resources", BASELINE), current, StandardCharsets.UTF_8);
        }
        List<String> baseline;
        try (var in = ApiSignatureTest.class.getResourceAsStream("/" + BASELINE)) {
            assertThat(in).as("the baseline %s exists", BASELINE).isNotNull();
            baseline = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(line -> !line.isBlank()).toList();
        }
        List<String> missing = baseline.stream().filter(signature -> !current.contains(signature)).toList();
        assertThat(missing).as("stable api signatures that disappeared (an incompatible change for plugin authors)").isEmpty();
        assertThat(current).as("the baseline is not empty").isNotEmpty();
    }

    private static TreeSet<String> currentSignatures() throws IOException, URISyntaxException, ClassNotFoundException {
        Path classes = Path.of(Stable.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        TreeSet<String> signatures = new TreeSet<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(classes)) {
            files = walk.filter(path -> path.toString().endsWith(".class")).toList();
        }
        for (Path file : files) {
            String name = classes.relativize(file).toString().replace('/', '.').replace(".class", "");
            if (name.endsWith("package-info")) {
                continue;
            }
            Class<?> type = Class.forName(name, false, ApiSignatureTest.class.getClassLoader());
            if (!Modifier.isPublic(type.getModifiers()) || !isStable(type)) {
                continue;
            }
            signatures.addAll(signaturesOf(type));
        }
        return signatures;
    }

    private static boolean isStable(Class<?> type) {
        for (Class<?> t = type; t != null; t = t.getEnclosingClass()) {
            if (t.isAnnotationPresent(Stable.class)) {
                return true;
            }
        }
        return false;
    }

    private static List<String> signaturesOf(Class<?> type) {
        List<String> lines = new ArrayList<>();
        String owner = type.getName();
        lines.add(owner + " : " + kind(type) + supertypes(type));
        for (Constructor<?> constructor : type.getDeclaredConstructors()) {
            if (Modifier.isPublic(constructor.getModifiers()) || Modifier.isProtected(constructor.getModifiers())) {
                lines.add(owner + " : <init>(" + params(constructor.getParameterTypes()) + ")");
            }
        }
        for (Method method : type.getDeclaredMethods()) {
            if ((Modifier.isPublic(method.getModifiers()) || Modifier.isProtected(method.getModifiers())) && !method.isSynthetic()) {
                lines.add(owner + " : " + (Modifier.isStatic(method.getModifiers()) ? "static " : "")
                        + method.getReturnType().getTypeName() + " " + method.getName() + "(" + params(method.getParameterTypes()) + ")");
            }
        }
        for (Field field : type.getDeclaredFields()) {
            if (Modifier.isPublic(field.getModifiers())) {
                lines.add(owner + " : field " + field.getType().getTypeName() + " " + field.getName());
            }
        }
        return lines;
    }

    private static String kind(Class<?> type) {
        return type.isAnnotation() ? "annotation" : type.isEnum() ? "enum" : type.isRecord() ? "record"
                : type.isInterface() ? "interface" : "class";
    }

    private static String supertypes(Class<?> type) {
        String interfaces = Arrays.stream(type.getInterfaces()).map(Class::getName).sorted().collect(Collectors.joining(","));
        return interfaces.isEmpty() ? "" : " implements " + interfaces;
    }

    private static String params(Class<?>[] types) {
        return Arrays.stream(types).map(Class::getTypeName).collect(Collectors.joining(","));
    }
}
