class AwsConfig {
    static final String ACCESS_KEY_ID = "AKIAZ7Q3XW2RT5YHBN4K";
}