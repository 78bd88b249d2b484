class BalanceActivity : AppCompatActivity()
