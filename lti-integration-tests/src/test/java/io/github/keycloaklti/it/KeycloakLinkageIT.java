package io.github.keycloaklti.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One JAR for every supported Keycloak, checked the way the JVM links it: every class, method and field of another
 * library (Keycloak, Jakarta, Caffeine, ...) that the JAR's classes for a release refer to exists, with the same
 * descriptor, in that release's distribution. A call compiled against 26.7's SPI that 26.4 lacks (a record accessor,
 * a new overload, a parameter type narrowed in 26.5) would otherwise load fine and fail with NoSuchMethodError only
 * when a learner reaches that line. And the other way: every abstract method of the release's SPI that the JAR's
 * classes inherit is implemented (else AbstractMethodError when Keycloak calls it). {@link CompatibilityIT} runs a
 * launch on each release; this covers every line.
 */
class KeycloakLinkageIT {

    private static final Pattern REFERENCE = Pattern.compile(
            "= (Methodref|InterfaceMethodref|Fieldref|Class)\\s+\\S+\\s+// (.+)$");
    private static final Pattern HEADER = Pattern.compile(
            "^(?:[a-z]+ )*(?:class|interface) (\\S+)(?: extends ([^{]+?))?(?: implements ([^{]+?))? \\{$");
    private static final String OURS = "io/github/keycloaklti/";

    static Stream<String> releases() {
        List<String> releases = new ArrayList<>(List.of(System.getProperty("keycloak.home")));
        Arrays.stream(System.getProperty("keycloak.compat.versions", "").split(",")).filter(v -> !v.isBlank())
                .map(v -> Path.of(System.getProperty("keycloak.compat.dir")).resolve("keycloak-" + v).toString())
                .forEach(releases::add);
        return releases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("releases")
    void everyMemberTheJarUsesExistsInTheDistribution(String keycloakHome) throws IOException {
        Release release = Release.of(keycloakHome);
        assertThat(release.ourClasses()).as("classes in %s", release.jar()).hasSizeGreaterThan(50);

        Set<String> references = new TreeSet<>();
        for (String line : javap(release.jar().toString(), "-v", release.ourClasses()).split("\n")) {
            Matcher m = REFERENCE.matcher(line.strip());
            if (m.find()) {
                String target = m.group(2).replace("\"", "");
                if (m.group(1).equals("Class")) {
                    target = target.replaceAll("^\\[+L?", "").replaceAll(";$", "");
                    if (target.length() > 1) { // not a primitive array
                        references.add(target);
                    }
                } else {
                    references.add(target);
                }
            }
        }
        references.removeIf(r -> r.startsWith(OURS) || r.startsWith("[")); // arrays: clone() and length only

        Set<String> owners = references.stream().map(r -> r.contains(".") ? r.substring(0, r.indexOf('.')) : r)
                .collect(Collectors.toSet());
        Types types = new Types(release.classpath(), owners);
        List<String> missing = new ArrayList<>();
        for (String reference : references) {
            int dot = reference.indexOf('.');
            if (dot < 0) {
                if (!types.exists(reference)) {
                    missing.add("class " + reference);
                }
            } else {
                String owner = reference.substring(0, dot);
                String member = reference.substring(dot + 1);
                if (!types.declaresOrInherits(owner, member)) {
                    missing.add(reference);
                }
            }
        }
        assertThat(references).as("references found").hasSizeGreaterThan(200);
        assertThat(missing).as("what the JAR calls that Keycloak %s lacks", release.name()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("releases")
    void everyMethodKeycloakCallsOnTheJarsClassesIsImplemented(String keycloakHome) throws IOException {
        Release release = Release.of(keycloakHome);
        Types types = new Types(release.jar() + java.io.File.pathSeparator + release.classpath(),
                new HashSet<>(release.ourClasses()));

        Map<String, Set<String>> missing = new java.util.TreeMap<>();
        for (String ours : release.ourClasses()) {
            Set<String> unimplemented = types.isConcrete(ours) ? types.unimplemented(ours) : Set.of();
            if (!unimplemented.isEmpty()) {
                missing.put(ours, unimplemented);
            }
        }
        assertThat(release.ourClasses().stream().filter(types::isConcrete)).as("concrete classes read")
                .hasSizeGreaterThan(50);
        // the check sees what Keycloak requires: e.g. of the identity-provider factory, its SPI's abstract methods
        assertThat(types.abstractMethods("io/github/keycloaklti/launch/LtiIdentityProviderFactory"))
                .contains("getId:()Ljava/lang/String;", "getName:()Ljava/lang/String;");
        assertThat(missing).as("abstract methods of Keycloak %s that the JAR's classes leave unimplemented "
                + "(AbstractMethodError when Keycloak calls them)", release.name()).isEmpty();
    }

    /**
     * A distribution ({@code name}: its version), the server's classpath in it, and the bundle's classes that
     * release loads: each release its own registration classes (see KeycloakSpi).
     */
    private record Release(String name, String classpath, Path jar, List<String> ourClasses) {

        static Release of(String keycloakHome) throws IOException {
            Path home = Path.of(keycloakHome);
            String name = home.getFileName().toString().replace("keycloak-", "");
            Path jar = Path.of(System.getProperty("keycloak.providers")).resolve("keycloak-lti.jar");
            boolean before265 = name.startsWith("26.4.");
            List<String> ourClasses;
            try (JarFile file = new JarFile(jar.toFile())) {
                ourClasses = file.stream().map(e -> e.getName()).filter(n -> n.endsWith(".class") && n.startsWith(OURS))
                        .map(n -> n.substring(0, n.length() - ".class".length()))
                        .filter(n -> before265 ? !n.contains("265") : !n.contains("/compat264/"))
                        .toList();
            }
            // what the server runs with (lib/lib/deployment holds Quarkus's build-time classes)
            try (Stream<Path> main = Files.list(home.resolve("lib/lib/main"));
                 Stream<Path> boot = Files.list(home.resolve("lib/lib/boot"))) {
                return new Release(name, Stream.concat(boot, main).map(Path::toString).filter(p -> p.endsWith(".jar"))
                        .sorted().collect(Collectors.joining(java.io.File.pathSeparator)), jar, ourClasses);
            }
        }
    }

    /** Classes of a distribution and what they declare, read with javap (nothing is loaded), supertypes included. */
    private static final class Types {
        private final Map<String, Type> known = new HashMap<>();
        private final Set<String> absent = new HashSet<>();

        Types(String classpath, Set<String> names) {
            Set<String> todo = new TreeSet<>(names);
            while (!todo.isEmpty()) {
                Map<String, Type> read = Type.parseAll(javap(classpath, "-s", new ArrayList<>(todo)));
                known.putAll(read);
                todo.stream().filter(n -> !read.containsKey(n)).forEach(absent::add);
                todo = read.values().stream().flatMap(t -> t.supertypes().stream())
                        .filter(n -> !known.containsKey(n) && !absent.contains(n))
                        .collect(Collectors.toCollection(TreeSet::new));
            }
        }

        boolean exists(String name) {
            return known.containsKey(name);
        }

        /** The abstract methods of {@code name}'s supertypes that nothing in its hierarchy implements. */
        Set<String> unimplemented(String name) {
            return abstractMethods(name, false);
        }

        /** Every abstract method declared in {@code name}'s hierarchy, implemented or not. */
        Set<String> abstractMethods(String name) {
            return abstractMethods(name, true);
        }

        private Set<String> abstractMethods(String name, boolean all) {
            Set<String> concrete = new HashSet<>();
            Set<String> required = new TreeSet<>();
            Set<String> seen = new HashSet<>();
            List<String> todo = new ArrayList<>(List.of(name));
            while (!todo.isEmpty()) {
                Type type = known.get(todo.remove(0));
                if (type != null && seen.add(type.name())) {
                    type.members().stream().filter(m -> !type.abstractMethods().contains(m)).forEach(concrete::add);
                    required.addAll(type.abstractMethods());
                    todo.addAll(type.supertypes());
                }
            }
            if (!all) {
                required.removeAll(concrete);
            }
            return required;
        }

        boolean isConcrete(String name) {
            Type type = known.get(name);
            return type != null && !type.isAbstract();
        }

        boolean declaresOrInherits(String owner, String member) {
            Set<String> seen = new HashSet<>();
            List<String> todo = new ArrayList<>(List.of(owner));
            while (!todo.isEmpty()) {
                Type type = known.get(todo.remove(0));
                if (type != null && seen.add(type.name())) {
                    if (type.members().contains(member)) {
                        return true;
                    }
                    todo.addAll(type.supertypes());
                }
            }
            return false;
        }
    }

    /** A class as javap shows it: its name (with slashes), direct supertypes and members ({@code name:descriptor}). */
    private record Type(String name, boolean isAbstract, Set<String> supertypes, Set<String> members,
                        Set<String> abstractMethods) {

        static Map<String, Type> parseAll(String javap) {
            Map<String, Type> types = new HashMap<>();
            Type current = null;
            String declaration = null;
            for (String raw : javap.split("\n")) {
                String line = withoutGenerics(raw.strip());
                Matcher header = raw.startsWith(" ") ? null : HEADER.matcher(line);
                if (header != null && header.matches()) {
                    current = new Type(header.group(1).replace('.', '/'),
                            line.contains("abstract ") || line.contains("interface "), new HashSet<>(), new HashSet<>(),
                            new HashSet<>());
                    types.put(current.name(), current);
                    for (int g = 2; g <= 3; g++) {
                        if (header.group(g) != null) {
                            Arrays.stream(header.group(g).split(",")).map(String::strip)
                                    .map(n -> n.replace('.', '/')).forEach(current.supertypes()::add);
                        }
                    }
                    // a class without "extends" extends Object; interface method refs may name Object's methods
                    if (!current.name().equals("java/lang/Object")) {
                        current.supertypes().add("java/lang/Object");
                    }
                } else if (current != null && line.startsWith("descriptor: ") && declaration != null) {
                    String member = memberName(declaration, current.name()) + ":"
                            + line.substring("descriptor: ".length());
                    current.members().add(member);
                    if ((" " + declaration).contains(" abstract ")) {
                        current.abstractMethods().add(member);
                    }
                    declaration = null;
                } else if (line.endsWith(";")) {
                    declaration = line;
                }
            }
            return types;
        }

        private static String memberName(String declaration, String self) {
            String d = declaration.replaceAll(" throws [^(]*;$", ";");
            if (d.equals("static {};")) {
                return "<clinit>";
            }
            int paren = d.indexOf('(');
            String head = paren >= 0 ? d.substring(0, paren) : d.substring(0, d.length() - 1);
            String last = head.substring(head.lastIndexOf(' ') + 1);
            return last.replace('.', '/').equals(self) ? "<init>" : last;
        }

        private static String withoutGenerics(String line) {
            StringBuilder out = new StringBuilder();
            int depth = 0;
            for (char c : line.toCharArray()) {
                if (c == '<' && !line.startsWith("descriptor:")) {
                    depth++;
                } else if (c == '>' && depth > 0) {
                    depth--;
                } else if (depth == 0) {
                    out.append(c);
                }
            }
            return out.toString().replaceAll(" +", " ");
        }
    }

    private static String javap(String classpath, String option, List<String> classes) {
        ToolProvider javap = ToolProvider.findFirst("javap").orElseThrow();
        StringWriter out = new StringWriter();
        List<String> args = new ArrayList<>(List.of("-p", option, "-cp", classpath));
        classes.forEach(c -> args.add(c.replace('/', '.')));
        javap.run(new PrintWriter(out), new PrintWriter(new StringWriter()), args.toArray(String[]::new));
        return out.toString();
    }
}
