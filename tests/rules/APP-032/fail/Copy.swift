func copyOtp(_ otp: String) {
    UIPasteboard.general.string = otp
}
