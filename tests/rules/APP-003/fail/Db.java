class Db {
    private static final String DB_PASSWORD = "Tr4d3r!2024x";
}