// Old server: http://legacy.broker-example.com.tw
const val BASE = "https://api.broker-example.com.tw/v1/"
const val LOCAL = "http://localhost:8080/"
const val EMU = "http://10.0.2.2:3000/"
const val LICENSE = "http://www.apache.org/licenses/LICENSE-2.0"