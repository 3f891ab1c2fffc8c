window.YTD.block.part0 = [
  {
    "blocking" : {
      "accountId" : "8008",
      "userLink" : "https://twitter.com/intent/user?user_id=8008"
    }
  }
]
