- (void)keep:(NSString *)acct {
    [[NSUserDefaults standardUserDefaults] setObject:acct forKey:@"accountNumber"];
}