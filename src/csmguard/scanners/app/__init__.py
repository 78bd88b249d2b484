"""The mobile app scanner (articles 14.4, 16 and 17): APK, AAB and IPA packages and Android, iOS, Flutter and
React Native source trees, read without decompiling."""
