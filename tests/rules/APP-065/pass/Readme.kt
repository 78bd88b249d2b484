// Security training notes
const val TOPIC = "remote access trojans and coin miners are forbidden"