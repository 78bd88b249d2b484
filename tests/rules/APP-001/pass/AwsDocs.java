class AwsDocs {
    // The AWS documentation example key, not a real one
    static final String EXAMPLE = "AKIAIOSFODNN7EXAMPLE";
    static final String KEY_FROM_ENV = System.getenv("AWS_ACCESS_KEY_ID");
}