import java.io.*;
import java.util.*;
import java.util.zip.*;
import jdk.internal.org.objectweb.asm.*;
import jdk.internal.org.objectweb.asm.commons.*;

/** Copies classes of the given jars into one jar, relocating com/fasterxml/jackson -> org/apache/iceberg/shaded/com/fasterxml/jackson. */
public class Relocate {
    static final String FROM = "com/fasterxml/jackson/";
    static final String TO = "org/apache/iceberg/shaded/com/fasterxml/jackson/";
    public static void main(String[] args) throws Exception {
        Remapper remapper = new Remapper() {
            @Override public String map(String name) {
                return name.startsWith(FROM) ? TO + name.substring(FROM.length()) : name;
            }
        };
        Set<String> seen = new HashSet<>();
        try (ZipOutputStream out = new ZipOutputStream(new FileOutputStream(args[0]))) {
            for (int i = 1; i < args.length; i++) {
                try (ZipInputStream in = new ZipInputStream(new FileInputStream(args[i]))) {
                    ZipEntry e;
                    while ((e = in.getNextEntry()) != null) {
                        String name = e.getName();
                        if (e.isDirectory() || !name.endsWith(".class") || !name.startsWith(FROM)) continue;
                        if (name.startsWith("META-INF/versions/")) continue;
                        byte[] bytes = in.readAllBytes();
                        ClassReader reader = new ClassReader(bytes);
                        ClassWriter writer = new ClassWriter(0);
                        reader.accept(new ClassRemapper(writer, remapper), 0);
                        String outName = remapper.map(name.substring(0, name.length() - 6)) + ".class";
                        if (!seen.add(outName)) continue;
                        out.putNextEntry(new ZipEntry(outName));
                        out.write(writer.toByteArray());
                        out.closeEntry();
                    }
                }
            }
        }
        System.out.println("classes: " + seen.size());
    }
}
