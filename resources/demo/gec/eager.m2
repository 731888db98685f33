S This are a great sentences .
A 1 2|||R:VERB:SVA|||is|||REQUIRED|||-NONE-|||0
A 4 5|||R:NOUN:NUM|||sentence|||REQUIRED|||-NONE-|||0

S Can you seen the sea from where live you .
A 2 3|||R:VERB:FORM|||see|||REQUIRED|||-NONE-|||0
A 7 9|||R:WO|||you live|||REQUIRED|||-NONE-|||0
A 9 10|||R:PUNCT|||?|||REQUIRED|||-NONE-|||0

S Let us discuss about all softwares problems you 've been having recently .
A 1 1|||M:PUNCT|||,|||REQUIRED|||-NONE-|||0
A 3 4|||U:PREP||||||REQUIRED|||-NONE-|||0
A 5 5|||M:DET|||the|||REQUIRED|||-NONE-|||0
A 5 6|||R:NOUN:INFL|||software|||REQUIRED|||-NONE-|||0

S This sentence contains no errors .
A 4 4|||M:DET|||the|||REQUIRED|||-NONE-|||0

S I has been living in London since three years .
A 1 2|||R:VERB:SVA|||have|||REQUIRED|||-NONE-|||0
A 6 7|||R:PREP|||for|||REQUIRED|||-NONE-|||0

S She do n't like apples , but she love oranges .
A 1 2|||R:VERB:SVA|||does|||REQUIRED|||-NONE-|||0

S Yesterday I go to the cinema with my freinds .
A 2 3|||R:VERB:TENSE|||gone|||REQUIRED|||-NONE-|||0

S He is more taller than his brother .
A 2 3|||U:ADV||||||REQUIRED|||-NONE-|||0
A 5 5|||M:DET|||the|||REQUIRED|||-NONE-|||0

S We discussed about the problem for a long time .
A -1 -1|||noop|||-NONE-|||REQUIRED|||-NONE-|||0

S There is many reasons why people move to cities .
A 1 2|||R:VERB:SVA|||are|||REQUIRED|||-NONE-|||0

S I am agree with your opinion .
A -1 -1|||noop|||-NONE-|||REQUIRED|||-NONE-|||0

S My sister is a engineer and she work in a big company .
A 3 4|||R:DET|||an|||REQUIRED|||-NONE-|||0
A 7 8|||R:VERB:SVA|||works|||REQUIRED|||-NONE-|||0
A 8 9|||R:PREP|||during|||REQUIRED|||-NONE-|||0

S The informations in this book is very useful .
A 1 2|||R:NOUN:INFL|||information|||REQUIRED|||-NONE-|||0
A 8 9|||U:PUNCT||||||REQUIRED|||-NONE-|||0

S He suggested me to take a bus .
A 2 2|||M:PREP|||that|||REQUIRED|||-NONE-|||0
A 2 3|||R:PRON|||I|||REQUIRED|||-NONE-|||0
A 3 4|||U:VERB:FORM||||||REQUIRED|||-NONE-|||0

S Its a beautiful day , lets go outside .
A 0 1|||R:OTHER|||It 's|||REQUIRED|||-NONE-|||0
A 1 1|||M:DET|||the|||REQUIRED|||-NONE-|||0
A 5 6|||R:OTHER|||let 's|||REQUIRED|||-NONE-|||0

S I look forward to hear from you .
A -1 -1|||noop|||-NONE-|||REQUIRED|||-NONE-|||0

S Despite of the rain , we played football .
A 1 2|||U:PREP||||||REQUIRED|||-NONE-|||0
A 8 9|||U:PUNCT||||||REQUIRED|||-NONE-|||0

S She can speaks three languages fluently .
A 1 1|||M:DET|||the|||REQUIRED|||-NONE-|||0
A 2 3|||R:VERB:FORM|||speak|||REQUIRED|||-NONE-|||0

S Every students must bring their books tomorrow .
A 1 2|||R:NOUN:NUM|||student|||REQUIRED|||-NONE-|||0

S i think that english is a difficult language .
A 0 1|||R:ORTH|||I|||REQUIRED|||-NONE-|||0
A 3 4|||R:ORTH|||English|||REQUIRED|||-NONE-|||0

S We was very tired after the long journey .
A 1 2|||R:VERB:SVA|||were|||REQUIRED|||-NONE-|||0

S He have never seen snow before he moved to Canada .
A 1 2|||R:VERB:TENSE|||had|||REQUIRED|||-NONE-|||0

S The children is playing in the garden .
A -1 -1|||noop|||-NONE-|||REQUIRED|||-NONE-|||0

S I did n't knew the answer .
A 3 4|||R:VERB:FORM|||know|||REQUIRED|||-NONE-|||0

S Can you explain me the rules ?
A 3 4|||U:PRON||||||REQUIRED|||-NONE-|||0
A 6 6|||M:OTHER|||to me|||REQUIRED|||-NONE-|||0

S She is good in mathematics .
A 3 4|||R:PREP|||at|||REQUIRED|||-NONE-|||0

S They arrived to the airport late .
A 2 3|||R:PREP|||in|||REQUIRED|||-NONE-|||0
A 6 7|||U:PUNCT||||||REQUIRED|||-NONE-|||0

S This is the most cheapest hotel in town .
A 3 4|||U:ADV||||||REQUIRED|||-NONE-|||0

S I have visited Paris last summer .
A 1 2|||U:VERB:TENSE||||||REQUIRED|||-NONE-|||0
A 6 7|||U:PUNCT||||||REQUIRED|||-NONE-|||0

S The weather was so bad that we stayed in home .
A 3 3|||M:DET|||the|||REQUIRED|||-NONE-|||0

S He gave me an useful advice .
A 5 5|||M:OTHER|||piece of|||REQUIRED|||-NONE-|||0

S My father works as a doctor since 1990 .
A 2 3|||R:VERB:TENSE|||has worked|||REQUIRED|||-NONE-|||0

S We need to buy some furnitures for the new flat .
A 1 1|||M:PUNCT|||,|||REQUIRED|||-NONE-|||0
A 5 6|||R:NOUN:INFL|||furniture|||REQUIRED|||-NONE-|||0

S If I will see him , I will tell him .
A 2 3|||U:VERB:TENSE||||||REQUIRED|||-NONE-|||0

S The book what I read was interesting .
A 1 1|||M:PUNCT|||,|||REQUIRED|||-NONE-|||0

S She always come late to class .
A -1 -1|||noop|||-NONE-|||REQUIRED|||-NONE-|||0

S This sentence is correct .
A -1 -1|||noop|||-NONE-|||REQUIRED|||-NONE-|||0

S Please send me the documents untill Friday .
A 5 6|||R:PREP|||by|||REQUIRED|||-NONE-|||0

S She go to school by bus every days .
A 1 2|||R:VERB:SVA|||goes|||REQUIRED|||-NONE-|||0
A 7 8|||R:NOUN:NUM|||day|||REQUIRED|||-NONE-|||0

S The teacher explained us the lesson carefuly .
A 3 4|||U:PRON||||||REQUIRED|||-NONE-|||0
A 6 6|||M:OTHER|||to us|||REQUIRED|||-NONE-|||0
A 6 7|||R:SPELL|||carefully|||REQUIRED|||-NONE-|||0
A 7 8|||U:PUNCT||||||REQUIRED|||-NONE-|||0

