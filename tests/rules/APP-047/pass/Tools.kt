package tw.example.trade.diag

import android.app.Activity
import android.os.Bundle
import java.io.BufferedReader
import java.io.InputStreamReader

/** The diagnostics screen only runs fixed commands; the deep link picks one of them by name. */
class Tools : Activity() {
    private val commands = mapOf("version" to arrayOf("getprop", "ro.build.version.release"),
                                 "uptime" to arrayOf("uptime"))

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        val output = run(arrayOf("getprop", "ro.build.version.release"))
        title = output.take(40)
    }

    private fun run(command: Array<String>): String {
        val process = ProcessBuilder(*command).start()
        return BufferedReader(InputStreamReader(process.inputStream)).readText()
    }
}
