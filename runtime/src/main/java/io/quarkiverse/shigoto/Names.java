package io.quarkiverse.shigoto;

import java.util.regex.Pattern;

/**
 * The rules for kind and queue names, shared by the build-time validation and insert-time checks.
 */
public final class Names {

    /** The longest kind or queue name. */
    public static final int MAX_LENGTH = 128;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._:-]+");

    private Names() {
    }

    /**
     * @param name a kind or queue name
     * @return {@code null} when the name is valid, otherwise why it is not
     */
    public static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "must not be empty";
        }
        if (name.length() > MAX_LENGTH) {
            return "must be at most " + MAX_LENGTH + " characters, has " + name.length();
        }
        if (!NAME.matcher(name).matches()) {
            return "may only contain letters, digits and . _ : - (was '" + name + "')";
        }
        return null;
    }

    /**
     * @param name a kind or queue name
     * @param what what the name is, for the message ({@code "queue"})
     * @return the name
     * @throws InvalidJobException naming the problem when the name is not valid
     */
    public static String requireName(String name, String what) {
        String problem = problem(name);
        if (problem != null) {
            throw new InvalidJobException(what + " " + problem);
        }
        return name;
    }
}
