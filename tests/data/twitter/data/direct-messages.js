window.YTD.direct_messages.part0 = [
  {
    "dmConversation" : {
      "conversationId" : "1001-2002",
      "messages" : [
        {
          "messageCreate" : {
            "recipientId" : "1001",
            "reactions" : [ ],
            "urls" : [ ],
            "text" : "In Chicago next week for the conference, dinner?",
            "mediaUrls" : [ ],
            "senderId" : "2002",
            "id" : "900000000000000001",
            "createdAt" : "2022-03-10T17:42:05.123Z"
          }
        },
        {
          "messageCreate" : {
            "recipientId" : "2002",
            "reactions" : [ { "senderId" : "2002", "reactionKey" : "like", "eventId" : "9", "createdAt" : "2022-03-10T18:00:00.000Z" } ],
            "urls" : [ ],
            "text" : "Yes! Thursday at 7?",
            "mediaUrls" : [ ],
            "senderId" : "1001",
            "id" : "900000000000000002",
            "createdAt" : "2022-03-10T17:50:00.000Z"
          }
        }
      ]
    }
  }
]
