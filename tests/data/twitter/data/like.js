window.YTD.like.part0 = [
  {
    "like" : {
      "tweetId" : "1499000000000000000",
      "fullText" : "Anyone know a good guide to accessible data tables?",
      "expandedUrl" : "https://twitter.com/i/web/status/1499000000000000000"
    }
  }
]
