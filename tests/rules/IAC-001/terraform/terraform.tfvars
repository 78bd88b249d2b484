data_encrypted = false
