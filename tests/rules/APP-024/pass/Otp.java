class Otp {
    String otp() { return String.valueOf(new SecureRandom().nextInt(999999)); }
    int shuffleColour() { return new Random().nextInt(5); }
}