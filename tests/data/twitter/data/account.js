window.YTD.account.part0 = [
  {
    "account" : {
      "email" : "mia.okafor@example.org",
      "createdVia" : "web",
      "username" : "miaokafor",
      "accountId" : "1001",
      "createdAt" : "2011-03-14T09:26:53.000Z",
      "accountDisplayName" : "Mia Okafor"
    }
  }
]
