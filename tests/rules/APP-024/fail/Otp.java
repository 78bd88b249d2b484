class Otp {
    String otp() { return String.valueOf(new Random().nextInt(999999)); }
}